// The interactive value-network diagram: loads the network from the JSON API, draws it with
// Cytoscape (laid out left to right by dagre), highlights by persona or competitor, exports
// SVG, and — for editors — edits the network through the API (valuenet-diagram-edit.js).
//
// Everything the page passes in comes from data- attributes on #vn-diagram; no inline script.
// `window.valuenetDiagram` is a small hook for browser tests and the benchmark: it reads the
// drawing (names, classes, labels, links, timings) and can bring a node into view.

import {
  STYLE,
  competitorClasses,
  personaFocus,
  toElements,
} from "./valuenet-diagram-draw.js";
import { fillSelect, setUpEditing } from "./valuenet-diagram-edit.js";
import { showLint } from "./valuenet-diagram-lint.js";
import { downloadSvg } from "./valuenet-diagram-svg.js";

const root = document.getElementById("vn-diagram");
const $ = (id) => document.getElementById(id);
// dagre's default ranker (network simplex) gives the most compact layers but its time grows
// steeply: ~0.5 s at 150 nodes and 450 links, ~9 s at 300 and 900 in Chromium here. Above
// SIMPLEX_LIMIT elements the tight-tree ranker lays out 300/900 in ~0.35 s
// (bench/valuenet_diagram.py).
const SIMPLEX_LIMIT = 600;

function layoutOptions(elementCount) {
  return {
    name: "dagre",
    rankDir: "LR",
    nodeSep: 18,
    rankSep: 90,
    edgeSep: 8,
    ranker: elementCount > SIMPLEX_LIMIT ? "tight-tree" : "network-simplex",
    fit: true,
    padding: 30,
    animate: false,
  };
}

// --- talking to the API ------------------------------------------------------------------------

async function api(method, path = "", body = undefined) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = root.dataset.csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(root.dataset.apiUrl + path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (response.status === 401) throw new Error("Your session has ended: sign in again.");
  if (!response.ok) {
    const error = payload && payload.error;
    let message = (error && error.message) || `The server answered ${response.status}.`;
    if (error && Array.isArray(error.details) && error.details.length > 1) {
      const details = error.details.map((d) => (typeof d === "string" ? d : `${d.where}: ${d.message}`));
      message = `${message} ${details.join("; ")}`;
    }
    throw new Error(message);
  }
  return payload;
}

function showError(message) {
  const box = $("vn-error");
  box.textContent = message || "";
  box.hidden = !message;
}

// --- state and drawing -------------------------------------------------------------------------

const state = { data: null, cy: null, positions: new Map(), selected: null };
const hook = {
  ready: false,
  draws: 0,
  timing: {}, // ms since navigation start: data loaded, drawn (laid out), first frame rendered
  cy: () => state.cy,
  names: (className) =>
    state.cy ? state.cy.nodes(`.${className}`).map((n) => n.data("name")).sort() : [],
  highlighted: () => hook.names("on-chain"), // the persona's outcomes and the chains to them
  targets: () => hook.names("focus-target"), // the persona's outcomes
  faded: () => hook.names("faded"),
  classesOf: (name) => {
    const node = state.cy && state.cy.nodes().filter((n) => n.data("name") === name);
    return node && node.length ? node.classes() : null;
  },
  labelOf: (name) => {
    const node = state.cy && state.cy.nodes().filter((n) => n.data("name") === name);
    return node && node.length ? node.data("label") : null;
  },
  links: () =>
    state.cy
      ? state.cy.edges().map((e) => {
        const arrow = e.hasClass("two-way") ? "<->" : "->";
        return `${e.source().data("name")} ${arrow} ${e.target().data("name")}`;
      }).sort()
      : [],
  showNode: (name, zoom = 1) => {
    const node = state.cy.nodes().filter((n) => n.data("name") === name);
    state.cy.zoom(zoom);
    state.cy.center(node);
  },
  renderedCenter: (name) => {
    const node = state.cy.nodes().filter((n) => n.data("name") === name);
    return node.length ? node.renderedPosition() : null;
  },
};
window.valuenetDiagram = hook;

function rememberPositions() {
  if (!state.cy) return;
  state.cy.nodes().forEach((n) => state.positions.set(n.id(), { ...n.position() }));
}

// A node the drawing has not placed yet goes beside a placed neighbour, or below everything.
function placeNewcomers(newcomers) {
  const cy = state.cy;
  const pending = new Set(newcomers.map((n) => n.id()));
  const settled = (n) => !pending.has(n.id());
  const taken = (x, y, node) =>
    cy.nodes().some((other) => {
      if (other === node || !settled(other)) return false;
      const p = other.position();
      return Math.abs(p.x - x) < (other.width() + node.width()) / 2 + 10 &&
        Math.abs(p.y - y) < (other.height() + node.height()) / 2 + 10;
    });
  const box = cy.nodes().filter(settled).boundingBox();
  let fallbackX = Number.isFinite(box.x1) ? box.x1 : 0;
  for (const node of newcomers) {
    const placed = node.neighborhood("node").filter(settled);
    let x;
    let y;
    if (placed.length) {
      const anchor = placed[0];
      const after = node.incomers("node").contains(anchor);
      x = anchor.position().x + (after ? 1 : -1) * (anchor.width() / 2 + node.width() / 2 + 90);
      y = anchor.position().y;
    } else {
      x = fallbackX + node.width() / 2;
      y = (Number.isFinite(box.y2) ? box.y2 : 0) + 40 + node.height() / 2;
      fallbackX += node.width() + 30;
    }
    while (taken(x, y, node)) y += node.height() + 12;
    node.position({ x, y });
    pending.delete(node.id());
  }
  // Bring a new node into view if it landed (partly) outside what is shown: show the whole
  // network at 100% if it fits, else centre on the new node.
  const last = newcomers[newcomers.length - 1];
  if (!last) return;
  const view = cy.extent();
  const shown = last.boundingBox();
  const inside = shown.x1 >= view.x1 && shown.x2 <= view.x2;
  if (inside && shown.y1 >= view.y1 && shown.y2 <= view.y2) return;
  const all = cy.elements().boundingBox();
  if (all.w + 60 <= cy.width() && all.h + 60 <= cy.height()) {
    cy.zoom(1);
    cy.center();
  } else {
    cy.center(last);
  }
}

function draw() {
  const elements = toElements(state.data);
  if (state.cy === null) {
    // A large network is drawn without labels while they would be unreadably small, and
    // without edges while panning or zooming, so that moving around stays fluid.
    const large = elements.length > SIMPLEX_LIMIT;
    state.cy = cytoscape({
      container: root,
      elements,
      style: large ? [...STYLE, { selector: "node", style: { "min-zoomed-font-size": 5 } }] : STYLE,
      layout: layoutOptions(elements.length),
      minZoom: 0.02,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: "single",
      hideEdgesOnViewport: large,
    });
    bindEvents();
  } else {
    rememberPositions();
    const cy = state.cy;
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
      cy.nodes().forEach((n) => {
        const known = state.positions.get(n.id());
        if (known) n.position(known);
      });
    });
    placeNewcomers(cy.nodes().filter((n) => !state.positions.has(n.id())).toArray());
    if (state.selected) cy.getElementById(state.selected).select();
  }
  rememberPositions();
  refreshFilters();
  applyFocus();
  editing.onData(state.data);
  showSelection();
  hook.draws += 1;
  root.dataset.draws = String(hook.draws); // tests wait on attributes: the CSP forbids eval
}

async function reload() {
  state.data = await api("GET");
  hook.timing.loaded = hook.timing.loaded || performance.now();
  draw();
  hook.timing.drawn = hook.timing.drawn || performance.now();
  showLint({ api, list: $("vn-lint"), count: $("vn-lint-count"), selectByName });
}

function selectByName(name) {
  const node = state.cy.nodes().filter((n) => n.data("name") === name);
  if (!node.length) return;
  state.cy.elements().unselect();
  node.select();
  state.cy.center(node);
  state.selected = node.id();
  showSelection();
}

// --- highlighting by persona or competitor -----------------------------------------------------

function refreshFilters() {
  fillSelect($("vn-persona-filter"), state.data.persona_list, "Everyone");
  fillSelect($("vn-competitor-filter"), state.data.competitor_list, "None");
  const list = $("vn-persona-links");
  list.replaceChildren();
  for (const persona of state.data.persona_list) {
    const link = document.createElement("a");
    link.href = `/value-networks/${root.dataset.networkId}/personas/${persona.id}`;
    link.textContent = persona.name;
    const item = document.createElement("li");
    item.append(link);
    list.append(item);
  }
  if (!state.data.persona_list.length) {
    const item = document.createElement("li");
    item.className = "muted";
    item.textContent = "No persona yet.";
    list.append(item);
  }
}

const FOCUS_CLASSES = "faded on-chain focus-target highlighted";
const COMPETITOR_CLASSES =
  "cmp-yes cmp-partly cmp-no cmp-unstated cmp-difference cmp-partial cmp-parity cmp-at-risk " +
  "cmp-undriven";

function applyFocus() {
  const cy = state.cy;
  const personaId = Number($("vn-persona-filter").value) || null;
  const competitorId = Number($("vn-competitor-filter").value) || null;
  cy.batch(() => {
    cy.elements().removeClass(`${FOCUS_CLASSES} ${COMPETITOR_CLASSES}`);
    const focus = personaId && personaFocus(state.data, personaId);
    if (focus) {
      cy.nodes().forEach((n) => {
        const id = n.data("nodeId");
        n.addClass(focus.nodes.has(id) ? "on-chain" : "faded");
        if (focus.targets.has(id)) n.addClass("focus-target");
      });
      cy.edges().forEach((e) => {
        const on = !e.source().hasClass("faded") && !e.target().hasClass("faded");
        e.addClass(on ? "highlighted" : "faded");
      });
    }
    const classes = competitorId && competitorClasses(state.data, competitorId);
    if (classes) cy.nodes().forEach((n) => n.addClass(classes.get(n.data("nodeId"))));
  });
  $("vn-legend-competitor").hidden = !competitorId;
}

// --- selection ---------------------------------------------------------------------------------

function fact(list, term, value) {
  if (value === "" || value === null || value === undefined) return;
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  list.append(dt, dd);
}

function showSelection() {
  const element = state.selected ? state.cy.getElementById(state.selected) : null;
  const found = element && element.length ? element : null;
  $("vn-selection-empty").hidden = Boolean(found);
  $("vn-selection-details").hidden = !found;
  const facts = $("vn-selection-facts");
  facts.replaceChildren();
  if (found && found.isNode()) {
    const node = state.data.nodes.find((n) => n.id === found.data("nodeId"));
    $("vn-selection-name").textContent = node.name;
    $("vn-selection-kind").textContent = node.node_type === "outcome"
      ? `${node.outcome_kind} outcome${node.executive ? ", executive-worthy" : ""}`
      : `differentiator: ${node.differentiator_kind.replaceAll("_", " ")}`;
    fact(facts, "Measure", [node.measure, node.unit && `(${node.unit})`].filter(Boolean).join(" "));
    fact(facts, "Description", node.description);
    const wanted = state.data.persona_list
      .filter((p) => p.outcomes.some((o) => o.outcome_id === node.id))
      .map((p) => `${p.name} (${p.outcomes.find((o) => o.outcome_id === node.id).strength})`);
    fact(facts, "Wanted by", wanted.join(", "));
    fact(facts, "Leads to", found.outgoers("node").map((n) => n.data("name")).join(", "));
    fact(facts, "Comes from", found.incomers("node").map((n) => n.data("name")).join(", "));
  } else if (found) {
    const link = state.data.link_list.find((l) => l.id === found.data("linkId"));
    $("vn-selection-name").textContent =
      `${found.source().data("name")} ${link.two_way ? "↔" : "→"} ${found.target().data("name")}`;
    $("vn-selection-kind").textContent = link.two_way ? "reinforce each other" : "cause → effect";
    fact(facts, "Rationale", link.rationale);
  }
  editing.onSelect(found);
}

function bindEvents() {
  const cy = state.cy;
  cy.on("tap", "node, edge", (event) => {
    if (editing.onTap(event.target)) return;
    state.selected = event.target.id();
    showSelection();
  });
  cy.on("tap", (event) => {
    if (event.target === cy) {
      state.selected = null;
      cy.elements().unselect();
      showSelection();
    }
  });
  cy.on("dragfree", "node", (event) => {
    state.positions.set(event.target.id(), { ...event.target.position() });
  });
}

// --- start -------------------------------------------------------------------------------------

const editing = setUpEditing({
  enabled: root.dataset.canEdit === "true",
  api,
  reload,
  showError,
  state,
});

$("vn-persona-filter").addEventListener("change", applyFocus);
$("vn-competitor-filter").addEventListener("change", applyFocus);
$("vn-fit").addEventListener("click", () => state.cy && state.cy.fit(undefined, 30));
$("vn-relayout").addEventListener("click", () => {
  if (!state.cy) return;
  state.cy.layout(layoutOptions(state.cy.elements().length)).run();
  rememberPositions();
});
$("vn-export-svg").addEventListener("click", () => {
  if (state.cy) hook.lastSvg = downloadSvg(state.cy, root.dataset.networkName);
});

// Cytoscape adds an inline <style> to the page unless an element with this id exists; the
// page's CSP refuses inline styles, and app.css already carries the rule it would add.
if (!document.getElementById("__________cytoscape_stylesheet")) {
  const marker = document.createElement("meta");
  marker.id = "__________cytoscape_stylesheet";
  document.head.append(marker);
}

reload()
  .then(() => {
    $("vn-status").hidden = true;
    state.cy.one("render", () => {
      hook.timing.ready = performance.now();
      hook.ready = true;
      root.dataset.ready = "true";
    });
    state.cy.forceRender();
  })
  .catch((error) => {
    $("vn-status").hidden = true;
    showError(`The diagram could not be loaded: ${error.message}`);
  });
