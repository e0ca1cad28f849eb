/** The fewest config.json fields a BERT config needs (Hugging Face names): what config tests add to or take from. */
export const MINIMAL_BERT_CONFIG = {
  vocab_size: 100,
  hidden_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  intermediate_size: 128,
  max_position_embeddings: 512,
} as const;
