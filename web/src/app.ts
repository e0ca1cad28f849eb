import {
  closestNames,
  DEFAULT_HUB_ENDPOINT,
  type DownloadProgress,
  MODEL_ALIASES,
  parseSequenceText,
  RECONSTRUCTION_TSV_HEADER,
  reconstructionTsvRows,
  sequenceLogoSvg,
  type LetterHeight,
  type ReconstructItem,
  type SequenceRecord,
} from "specieslm/web";
import { downloadText } from "./download.ts";
import type { Backend, FromWorker, ModelInfo } from "./protocol.ts";
import { variantTable } from "./variant-table.ts";

/** The page: model pickers (a folder, or a Hub name), the FASTA picker, species choice, the worker's runs, the figure and its downloads. */

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const el = {
  modelFolder: $<HTMLInputElement>("model-folder"),
  modelFiles: $<HTMLInputElement>("model-files"),
  backend: $<HTMLSelectElement>("backend"),
  modelInfo: $("model-info"),
  hubName: $<HTMLInputElement>("hub-name"),
  hubOpen: $<HTMLButtonElement>("hub-open"),
  hubEndpoint: $<HTMLInputElement>("hub-endpoint"),
  hubAliases: $("hub-aliases"),
  fastaText: $<HTMLTextAreaElement>("fasta-text"),
  fastaFile: $<HTMLInputElement>("fasta-file"),
  fastaName: $("fasta-name"),
  speciesA: $<HTMLInputElement>("species-a"),
  speciesB: $<HTMLInputElement>("species-b"),
  speciesList: $("species-list"),
  speciesNote: $("species-note"),
  proxies: $("proxy-choices"),
  spans: $<HTMLSelectElement>("spans"),
  run: $<HTMLButtonElement>("run"),
  cancel: $<HTMLButtonElement>("cancel"),
  progress: $<HTMLProgressElement>("progress"),
  status: $("status"),
  error: $("error"),
  record: $<HTMLSelectElement>("record"),
  letterHeight: $<HTMLSelectElement>("letter-height"),
  zoom: $<HTMLInputElement>("zoom"),
  figure: $("figure"),
  tsv: $<HTMLButtonElement>("download-tsv"),
  tsvB: $<HTMLButtonElement>("download-tsv-b"),
  svg: $<HTMLButtonElement>("download-svg"),
  variant: $("variant"),
  variantTitle: $("variant-title"),
  isolation: $("isolation"),
};

interface Reading {
  readonly label: string;
  readonly probs: Float32Array[];
}
interface Result {
  readonly records: SequenceRecord<string | null>[];
  readonly a: Reading;
  readonly b?: Reading;
}

let worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
let info: ModelInfo | undefined;
let result: Result | undefined;
let pending: { records: SequenceRecord<string | null>[]; labels: string[]; spans: number } | undefined;
let selected: number | undefined;
const proxies = new Map<string, string>();
let fastaName = "pasted sequence";

function setState(state: "empty" | "loading" | "loaded" | "running" | "done" | "error"): void {
  document.body.dataset.state = state;
  el.run.disabled = !info || state === "loading" || state === "running";
  el.cancel.disabled = state !== "running";
  el.hubOpen.disabled = state === "loading" || state === "running";
}

function showError(title: string, message: string, choices: readonly string[] = [], unknown?: string): void {
  el.error.hidden = false;
  el.error.replaceChildren(Object.assign(document.createElement("strong"), { textContent: title }), message);
  el.proxies.replaceChildren(
    ...choices.map((name) => {
      const b = Object.assign(document.createElement("button"), { className: "secondary", textContent: `read as ${name}` });
      b.title = `use ${name} as a proxy for ${unknown}`;
      b.onclick = () => {
        proxies.set(unknown!, name);
        el.proxies.replaceChildren();
        startRun();
      };
      return b;
    }),
  );
  setState(info ? "error" : "empty");
}

function clearError(): void {
  el.error.hidden = true;
  el.error.replaceChildren();
}

el.isolation.textContent = crossOriginIsolated
  ? `cross-origin isolated · wasm threads available (${navigator.hardwareConcurrency} cores)`
  : "not cross-origin isolated · wasm runs on one thread (serve with specieslm serve)";

// ---- model -------------------------------------------------------------------------------------

function openModel(list: FileList | null): void {
  if (!list || list.length === 0) return;
  clearError();
  info = undefined;
  loadingHub = false;
  el.status.dataset.kind = "";
  setState("loading");
  el.status.textContent = `reading ${list.length} files and building the graph…`;
  worker.postMessage({ type: "load", files: [...list], backend: el.backend.value as Backend });
}
el.modelFolder.onchange = () => openModel(el.modelFolder.files);
el.modelFiles.onchange = () => openModel(el.modelFiles.files);

// ---- a model on the Hub by name ----------------------------------------------------------------

const params = new URLSearchParams(location.search);
el.hubEndpoint.value = params.get("hub") ?? DEFAULT_HUB_ENDPOINT;
el.hubAliases.replaceChildren(
  ...MODEL_ALIASES.map((a) => Object.assign(document.createElement("option"), { value: a.alias, textContent: `${a.description} (${a.repo}@${a.revision})` })),
);
let loadingHub = false;

function openHub(): void {
  const name = el.hubName.value.trim();
  if (!name) return;
  clearError();
  info = undefined;
  loadingHub = true;
  setState("loading");
  el.status.dataset.kind = "";
  el.progress.value = 0;
  el.status.textContent = `looking up ${name} on ${el.hubEndpoint.value}…`;
  worker.postMessage({ type: "load-hub", name, endpoint: el.hubEndpoint.value, backend: el.backend.value as Backend });
}
el.hubOpen.onclick = openHub;
el.hubName.onkeydown = (e) => {
  if (e.key === "Enter") openHub();
};

const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;

function showDownload(p: DownloadProgress): void {
  if (p.total) el.progress.value = p.done / p.total;
  el.status.textContent = `downloading ${p.file} (file ${p.index} of at most ${p.count}): ${mb(p.done)}${p.total ? ` of ${mb(p.total)}` : ""}`;
}

/** Where a Hub model came from, in words: "from cache", or how much was downloaded. */
function hubOrigin(h: NonNullable<ModelInfo["hub"]>): string {
  if (h.unreachable) return `from cache (the Hub at ${h.endpoint} cannot be reached)`;
  return h.fromCache ? "from cache" : `downloaded ${mb(h.downloadedBytes)} from ${h.endpoint}`;
}

function showModel(m: ModelInfo): void {
  info = m;
  loadingHub = false;
  const rows: [string, string][] = [
    ...(m.hub ? [["hub", `${m.hub.name}${m.hub.commit ? ` (commit ${m.hub.commit.slice(0, 8)})` : ""}, ${hubOrigin(m.hub)}`] as [string, string]] : []),
    ["folder", m.dir],
    ["weights", m.weightsFile.split("/").pop() ?? m.weightsFile],
    ["size", `${m.layers} layers × ${m.hidden} hidden, ${m.heads} heads, ${(m.parameters / 1e6).toFixed(2)} M parameters`],
    ["conditioning", m.conditioning === "none" ? "none (species-agnostic)" : `${m.conditioning}, ${m.species.length} species`],
    ["runs on", `${m.backend}${m.backend === "wasm" ? `, ${m.threads} thread${m.threads > 1 ? "s" : ""}` : ""} (ready in ${m.loadSeconds.toFixed(1)} s)`],
  ];
  el.modelInfo.replaceChildren(
    ...rows.flatMap(([k, v]) => [
      Object.assign(document.createElement("dt"), { textContent: k }),
      Object.assign(document.createElement("dd"), { textContent: v }),
    ]),
  );
  el.speciesList.replaceChildren(...m.species.map((s) => Object.assign(document.createElement("option"), { value: s })));
  const agnostic = m.conditioning === "none";
  el.speciesA.disabled = el.speciesB.disabled = agnostic;
  el.speciesNote.textContent = agnostic ? "This model reads sequences without a species." : `${m.species.length} species; type to search.`;
  el.status.dataset.kind = "";
  el.status.textContent = `Model ready${m.hub ? ` (${hubOrigin(m.hub)})` : ""}. Paste or open a FASTA and press Reconstruct.`;
  setState("loaded");
}

// ---- sequences and species ---------------------------------------------------------------------

el.fastaFile.onchange = async () => {
  const f = el.fastaFile.files?.[0];
  if (!f) return;
  el.fastaText.value = await f.text();
  fastaName = f.name;
  el.fastaName.textContent = f.name;
};
el.fastaText.oninput = () => {
  fastaName = "pasted sequence";
  el.fastaName.textContent = "";
};

/** A bare sequence (letters only, no header) is taken as one record; anything else must be FASTA. */
function sequenceText(): string {
  const t = el.fastaText.value;
  return !t.includes(">") && /^[A-Za-z\s]+$/.test(t) ? `>sequence\n${t}` : t;
}

/** A species the model knows, its proxy, or an error with the closest names as choices. */
function checkSpecies(name: string, m: ModelInfo): { species: string; speciesProxy?: string } {
  if (m.species.includes(name)) return { species: name };
  const proxy = proxies.get(name);
  if (proxy) return { species: name, speciesProxy: proxy };
  const closest = closestNames(name, m.species);
  throw Object.assign(
    new Error(
      `unknown species "${name}" for this model; closest known: ${closest.join(", ")}. Pick one to read the sequence as that species (a proxy, as --species-proxy does).`,
    ),
    { closest, unknown: name },
  );
}

function startRun(): void {
  if (!info) return;
  const m = info;
  clearError();
  try {
    const a = el.speciesA.value.trim();
    const b = el.speciesB.value.trim();
    const agnostic = m.conditioning === "none";
    const records = parseSequenceText(sequenceText(), fastaName, { agnostic, ...(a ? { species: a } : {}) }).map((r) =>
      a && !agnostic ? { ...r, species: a } : r,
    );
    const reading = (rs: SequenceRecord<string | null>[]): ReconstructItem[] =>
      rs.map((r) => ({ id: r.id, sequence: r.sequence, ...(r.species === null ? { species: null } : checkSpecies(r.species, m)) }));
    const items = reading(records);
    const labels = [agnostic ? "species-agnostic" : a || "species from headers"];
    if (b && !agnostic) {
      items.push(...reading(records.map((r) => ({ ...r, species: b }))));
      labels.push(b);
    }
    pending = { records, labels, spans: Number(el.spans.value) };
    setState("running");
    el.progress.value = 0;
    el.status.textContent = "reconstructing…";
    worker.postMessage({ type: "reconstruct", items, spansPerPass: pending.spans });
  } catch (err) {
    const e = err as Error & { closest?: string[]; unknown?: string };
    showError(e.closest ? "Unknown species" : "Input error", e.message, e.closest ?? [], e.unknown);
  }
}
el.run.onclick = startRun;
el.cancel.onclick = () => worker.postMessage({ type: "cancel" });

// ---- results -----------------------------------------------------------------------------------

function showResult(probs: Float32Array[], seconds: number): void {
  if (!pending) return;
  const { records, labels, spans } = pending;
  const n = records.length;
  result = {
    records,
    a: { label: labels[0]!, probs: probs.slice(0, n) },
    ...(labels[1] ? { b: { label: labels[1], probs: probs.slice(n) } } : {}),
  };
  const nt = records.reduce((s, r) => s + r.sequence.length, 0);
  el.status.textContent = `${nt.toLocaleString()} nucleotides of ${n} record${n > 1 ? "s" : ""}${result.b ? " × 2 species" : ""} in ${seconds.toFixed(2)} s${spans > 1 ? ` (${spans} spans per pass, approximate)` : ""}`;
  el.status.dataset.seconds = String(seconds);
  el.record.replaceChildren(
    ...records.map((r, i) => Object.assign(document.createElement("option"), { value: String(i), textContent: `${r.id} (${r.sequence.length} nt)` })),
  );
  el.tsv.disabled = el.svg.disabled = false;
  el.tsvB.hidden = el.tsvB.disabled = !result.b;
  el.tsvB.textContent = result.b ? `TSV (${result.b.label})` : "TSV (compare)";
  selected = undefined;
  render();
  setState("done");
}

function figure() {
  const r = result!;
  const i = Number(el.record.value || 0);
  const rec = r.records[i]!;
  return sequenceLogoSvg({
    title: `${rec.id} · ${rec.sequence.length} nt · reconstruction by ${info?.dir ?? "the model"}`,
    sequence: rec.sequence,
    probs: r.a.probs[i]!,
    label: rec.species ?? r.a.label,
    ...(r.b ? { compare: { label: r.b.label, probs: r.b.probs[i]! } } : {}),
    letterHeight: el.letterHeight.value as LetterHeight,
    columnWidth: Number(el.zoom.value),
    ...(selected !== undefined ? { selected } : {}),
  });
}

function render(): void {
  if (!result) return;
  const f = figure();
  // The same SVG twice: a sticky copy clipped to the axis gutter stays in view while the figure scrolls.
  el.figure.innerHTML = `<div class="gutter" style="width:${f.gutter}px;height:${f.height}px;margin-right:-${f.gutter}px">${f.svg}</div>${f.svg}`;
  const i = Number(el.record.value || 0);
  if (selected === undefined) {
    el.variantTitle.textContent = "";
    el.variant.innerHTML = `<p class="placeholder">Click a position in the figure.</p>`;
    return;
  }
  const rec = result.records[i]!;
  el.variantTitle.textContent = `· ${rec.id} position ${selected + 1} (reference ${rec.sequence[selected]})`;
  el.variant.replaceChildren(
    variantTable(rec.sequence[selected]!, [
      { label: rec.species ?? result.a.label, probs: result.a.probs[i]!.subarray(selected * 4, selected * 4 + 4) },
      ...(result.b ? [{ label: result.b.label, probs: result.b.probs[i]!.subarray(selected * 4, selected * 4 + 4) }] : []),
    ]),
  );
}

el.figure.onclick = (e) => {
  const pos = (e.target as Element).closest("[data-pos]")?.getAttribute("data-pos");
  if (pos === null || pos === undefined) return;
  selected = Number(pos);
  const scroll = el.figure.scrollLeft;
  render();
  el.figure.scrollLeft = scroll;
};
el.record.onchange = () => {
  selected = undefined;
  render();
};
el.letterHeight.onchange = render;
el.zoom.oninput = render;

function tsv(reading: Reading): string {
  const r = result!;
  return RECONSTRUCTION_TSV_HEADER + r.records.map((rec, i) => reconstructionTsvRows(rec.id, rec.sequence, reading.probs[i]!)).join("");
}
const stem = () => fastaName.replace(/\.[^.]*$/, "").replace(/\s+/g, "-");
el.tsv.onclick = () => downloadText(`${stem()}.reconstruction.tsv`, tsv(result!.a), "text/tab-separated-values");
el.tsvB.onclick = () => downloadText(`${stem()}.${result!.b!.label}.reconstruction.tsv`, tsv(result!.b!), "text/tab-separated-values");
el.svg.onclick = () => downloadText(`${stem()}.${result!.records[Number(el.record.value || 0)]!.id}.svg`, figure().svg, "image/svg+xml");

// ---- worker ------------------------------------------------------------------------------------

function onWorker(e: MessageEvent<FromWorker>): void {
  const m = e.data;
  if (m.type === "loaded") showModel(m.info);
  else if (m.type === "progress") {
    el.progress.value = m.done / m.total;
    el.status.textContent = `reconstructing… ${m.done.toLocaleString()} / ${m.total.toLocaleString()} forward passes`;
  } else if (m.type === "download") showDownload(m.progress);
  else if (m.type === "result") showResult(m.probs, m.seconds);
  else if (m.cancelled) {
    el.status.textContent = "Cancelled.";
    el.progress.value = 0;
    setState(info ? "loaded" : "empty");
  } else {
    showError(info ? "The run failed" : "The model could not be opened", m.message);
    if (loadingHub) {
      // A Hub failure (unknown name, gated, no network) is one line in the status area.
      loadingHub = false;
      el.status.dataset.kind = "error";
      el.status.textContent = m.message;
      el.progress.value = 0;
    } else if (!info) el.status.textContent = "Open a model to start.";
  }
}
worker.onmessage = onWorker;
worker.onerror = (e) => {
  showError("The inference worker stopped", e.message || "see the browser console");
  worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = onWorker;
  info = undefined;
};
setState("empty");
if (params.get("model")) {
  el.hubName.value = params.get("model")!;
  openHub();
}
