// How a value network is drawn: Cytoscape elements and styles, wrapped labels sized to their
// text, and the reachability behind the persona and competitor highlights.
//
// Links are followed the way the server's graph module follows them: cause -> effect, and a
// two-way link also effect -> cause, except back into a differentiator.

const FONT_SIZE = 12;
const FONT_FAMILY = "Helvetica, Arial, sans-serif";
const LINE_HEIGHT = 15;
const TEXT_WIDTH = 150; // labels wrap at this width
const MAX_LABEL_CHARS = 120; // a very long name is shortened on the drawing (never in the data)

let measureContext = null;

export function textWidth(text, bold = false) {
  if (measureContext === null) {
    measureContext = document.createElement("canvas").getContext("2d");
  }
  measureContext.font = `${bold ? "bold " : ""}${FONT_SIZE}px ${FONT_FAMILY}`;
  return measureContext.measureText(text).width;
}

export function wrap(text, maxWidth = TEXT_WIDTH, bold = false) {
  const words = text.split(/\s+/).filter(Boolean);
  const lines = [];
  let line = "";
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, bold) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

function shorten(text) {
  return text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS - 1)}…` : text;
}

function personasByOutcome(data) {
  const names = new Map();
  for (const persona of data.persona_list) {
    for (const want of persona.outcomes) {
      if (!names.has(want.outcome_id)) names.set(want.outcome_id, []);
      names.get(want.outcome_id).push(persona.name);
    }
  }
  return names;
}

function nodeElement(node, personas) {
  const isOutcome = node.node_type === "outcome";
  const bold = isOutcome && node.executive;
  const title = wrap(shorten((bold ? "★ " : "") + node.name), TEXT_WIDTH, bold);
  const tags = personas && personas.length ? wrap(`[${personas.join(" · ")}]`) : [];
  const lines = [...title, ...tags];
  const widest = Math.max(...lines.map((line) => textWidth(line, bold)));
  const textHeight = lines.length * LINE_HEIGHT;
  // An ellipse needs more room around the same text than a rectangle does.
  const w = isOutcome ? widest * 1.25 + 30 : widest + 24;
  const h = isOutcome ? textHeight * 1.3 + 18 : textHeight + 18;
  const classes = [node.node_type];
  if (isOutcome && node.executive) classes.push("executive");
  if (isOutcome && node.outcome_kind === "personal") classes.push("personal");
  return {
    group: "nodes",
    data: {
      id: `n${node.id}`,
      nodeId: node.id,
      name: node.name,
      label: lines.join("\n"),
      lines,
      w: Math.round(Math.max(w, isOutcome ? 110 : 90)),
      h: Math.round(Math.max(h, isOutcome ? 46 : 36)),
    },
    classes: classes.join(" "),
  };
}

export function toElements(data) {
  const personas = personasByOutcome(data);
  const nodes = data.nodes.map((node) => nodeElement(node, personas.get(node.id)));
  const edges = data.link_list.map((link) => ({
    group: "edges",
    data: {
      id: `l${link.id}`,
      linkId: link.id,
      source: `n${link.source_id}`,
      target: `n${link.target_id}`,
      rationale: link.rationale,
    },
    classes: link.two_way ? "two-way" : "",
  }));
  return [...nodes, ...edges];
}

const MUTED = "#64748b";
const TWO_WAY = "#7c3aed";
const FOCUS = "#15803d";

export const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "text-wrap": "wrap",
      "text-max-width": "1000px",
      "text-valign": "center",
      "text-halign": "center",
      "font-size": FONT_SIZE,
      "font-family": FONT_FAMILY,
      "line-height": LINE_HEIGHT / FONT_SIZE,
      color: "#1f2933",
      width: "data(w)",
      height: "data(h)",
      "border-width": 1.5,
    },
  },
  {
    selector: "node.differentiator",
    style: { shape: "rectangle", "background-color": "#dbeafe", "border-color": "#1d4ed8" },
  },
  {
    selector: "node.outcome",
    style: { shape: "ellipse", "background-color": "#fef3c7", "border-color": "#b45309" },
  },
  { selector: "node.personal", style: { "background-color": "#fce7f3", "border-color": "#be185d" } },
  {
    selector: "node.executive",
    style: { "border-width": 4, "border-color": "#7c2d12", "font-weight": "bold" },
  },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "curve-style": "straight",
      "line-color": MUTED,
      "target-arrow-color": MUTED,
      "source-arrow-color": MUTED,
      "target-arrow-shape": "triangle",
    },
  },
  {
    selector: "edge.two-way",
    style: {
      width: 2,
      "line-color": TWO_WAY,
      "target-arrow-color": TWO_WAY,
      "source-arrow-color": TWO_WAY,
      "source-arrow-shape": "triangle",
    },
  },
  // Competitor view: our differentiators by their match, outcomes by who can drive them.
  { selector: "node.cmp-no, node.cmp-difference", style: { "background-color": "#86efac" } },
  { selector: "node.cmp-partly, node.cmp-partial", style: { "background-color": "#d9f99d" } },
  { selector: "node.cmp-parity", style: { "background-color": "#fcd34d" } },
  { selector: "node.cmp-yes, node.cmp-at-risk", style: { "background-color": "#fca5a5" } },
  { selector: "node.cmp-unstated", style: { "border-style": "dashed" } },
  { selector: "node.cmp-undriven", style: { "background-color": "#e5e7eb" } },
  // Persona view: the persona's outcomes and every chain leading to them.
  { selector: ".faded", style: { opacity: 0.15 } },
  { selector: "node.focus-target", style: { "border-color": FOCUS, "border-width": 5 } },
  {
    selector: "edge.highlighted",
    style: { width: 3, "line-color": FOCUS, "target-arrow-color": FOCUS, "source-arrow-color": FOCUS },
  },
  { selector: "node.pick-source", style: { "border-color": "#0ea5e9", "border-width": 5 } },
  { selector: "node:selected", style: { "border-color": "#2563eb", "border-width": 5 } },
  {
    selector: "edge:selected",
    style: {
      width: 4,
      "line-color": "#2563eb",
      "target-arrow-color": "#2563eb",
      "source-arrow-color": "#2563eb",
    },
  },
];

// --- reachability ------------------------------------------------------------------------------

export function chainGraph(data) {
  const differentiators = new Set(
    data.nodes.filter((n) => n.node_type === "differentiator").map((n) => n.id),
  );
  const pred = new Map();
  const add = (to, from) => {
    if (!pred.has(to)) pred.set(to, []);
    pred.get(to).push(from);
  };
  for (const link of data.link_list) {
    if (link.source_id === link.target_id || differentiators.has(link.target_id)) continue;
    add(link.target_id, link.source_id);
    if (link.two_way && !differentiators.has(link.source_id)) add(link.source_id, link.target_id);
  }
  return { pred, differentiators };
}

export function reach(adjacency, starts) {
  const seen = new Set(starts);
  const queue = [...starts];
  for (let i = 0; i < queue.length; i += 1) {
    for (const next of adjacency.get(queue[i]) || []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

// The persona's outcomes and every node with a chain leading to one of them (node ids).
export function personaFocus(data, personaId) {
  const persona = data.persona_list.find((p) => p.id === personaId);
  if (!persona) return null;
  const targets = new Set(persona.outcomes.map((o) => o.outcome_id));
  const { pred } = chainGraph(data);
  return { targets, nodes: reach(pred, [...targets]) };
}

// Class per node id against a competitor, as the server's positioning module decides it (a
// match that is not stated counts as "no"): differentiators by their match (cmp-yes, cmp-partly,
// cmp-no, plus cmp-unstated); outcomes by the matches of every differentiator that leads to
// them: cmp-difference (they match none: only we deliver it), cmp-partial (none fully, some
// partly), cmp-parity (some fully, not all), cmp-at-risk (all fully), cmp-undriven (none leads
// to it).
export function competitorClasses(data, competitorId) {
  const competitor = data.competitor_list.find((c) => c.id === competitorId);
  if (!competitor) return null;
  const match = new Map();
  for (const m of competitor.matches) {
    if (!match.has(m.differentiator_id)) match.set(m.differentiator_id, m.match);
  }
  const { pred, differentiators } = chainGraph(data);
  const classes = new Map();
  for (const node of data.nodes) {
    if (differentiators.has(node.id)) {
      const stated = match.get(node.id);
      classes.set(node.id, stated ? `cmp-${stated}` : "cmp-no cmp-unstated");
      continue;
    }
    let drivers = 0;
    let yes = 0;
    let partly = 0;
    for (const other of reach(pred, [node.id])) {
      if (!differentiators.has(other)) continue;
      drivers += 1;
      if (match.get(other) === "yes") yes += 1;
      if (match.get(other) === "partly") partly += 1;
    }
    let position = "difference";
    if (!drivers) position = "undriven";
    else if (yes === drivers) position = "at-risk";
    else if (yes) position = "parity";
    else if (partly) position = "partial";
    classes.set(node.id, `cmp-${position}`);
  }
  return classes;
}
