/** The Hub that model names resolve against unless HF_ENDPOINT (or the web app's setting) names another. */
export const DEFAULT_HUB_ENDPOINT = "https://huggingface.co";
