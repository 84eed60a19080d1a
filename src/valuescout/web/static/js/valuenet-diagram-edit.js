// Editing the value network in the diagram page, for editors (admins and managers): every form
// calls the JSON API, shows the API's error message if it refuses, and redraws from the API
// after each change. Nothing here runs for readers: the server renders no forms for them.

export function fillSelect(select, items, blank = null) {
  const keep = select.value;
  select.replaceChildren();
  if (blank !== null) select.append(new Option(blank, ""));
  for (const item of items) select.append(new Option(item.label || item.name, String(item.id)));
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

const NOOP = { onData() {}, onSelect() {}, onTap: () => false };

export function setUpEditing({ enabled, api, reload, showError, state }) {
  if (!enabled) return NOOP;
  const $ = (id) => document.getElementById(id);
  const addNode = $("vn-add-node");
  const editNode = $("vn-edit-node");
  const editLink = $("vn-edit-link");
  const addLink = $("vn-add-link");
  const attach = $("vn-attach");
  const matchForm = $("vn-match");
  const pickHint = $("vn-pick-hint");
  let pick = null; // null, "source" or "target": choosing a link's ends on the diagram

  async function change(action) {
    showError("");
    try {
      await action();
      await reload();
      return true;
    } catch (error) {
      showError(error.message);
      return false;
    }
  }

  function onSubmit(form, action) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.setAttribute("aria-busy", "true");
      button.disabled = true;
      try {
        if (await change(() => action(new FormData(form)))) form.dispatchEvent(new Event("saved"));
      } finally {
        button.removeAttribute("aria-busy");
        button.disabled = false;
      }
    });
  }

  function showFieldsFor(form, nodeType) {
    form.querySelectorAll("[data-for]").forEach((el) => {
      el.hidden = el.dataset.for !== nodeType;
    });
  }

  function nodeFields(data, nodeType) {
    const text = (name) => String(data.get(name) || "").trim();
    const body = { name: text("name") };
    if (data.has("description")) body.description = String(data.get("description") || "");
    if (nodeType === "differentiator") {
      body.differentiator_kind = text("differentiator_kind");
    } else {
      body.outcome_kind = text("outcome_kind");
      body.executive = data.get("executive") === "on";
      body.measure = text("measure");
      body.unit = text("unit");
    }
    return body;
  }

  const selectedNode = () => {
    const element = state.selected && state.cy.getElementById(state.selected);
    if (!element || !element.length || !element.isNode()) return null;
    return state.data.nodes.find((n) => n.id === element.data("nodeId"));
  };
  const selectedLink = () => {
    const element = state.selected && state.cy.getElementById(state.selected);
    if (!element || !element.length || !element.isEdge()) return null;
    return state.data.link_list.find((l) => l.id === element.data("linkId"));
  };

  // --- nodes -------------------------------------------------------------------------------------

  addNode.elements.node_type.addEventListener("change", () =>
    showFieldsFor(addNode, addNode.elements.node_type.value),
  );
  showFieldsFor(addNode, addNode.elements.node_type.value);
  onSubmit(addNode, async (data) => {
    const nodeType = String(data.get("node_type"));
    const body = { node_type: nodeType, ...nodeFields(data, nodeType) };
    const node = await api("POST", "/nodes", body);
    state.selected = `n${node.id}`;
  });
  addNode.addEventListener("saved", () => {
    addNode.elements.name.value = "";
    addNode.elements.measure.value = "";
    addNode.elements.unit.value = "";
    addNode.elements.executive.checked = false;
  });

  onSubmit(editNode, async (data) => {
    const node = selectedNode();
    if (node) await api("PATCH", `/nodes/${node.id}`, nodeFields(data, node.node_type));
  });
  $("vn-delete-node").addEventListener("click", () => {
    const node = selectedNode();
    if (!node || !window.confirm(`Delete "${node.name}" with its links?`)) return;
    change(async () => {
      await api("DELETE", `/nodes/${node.id}`);
      state.selected = null;
    });
  });

  // --- links -------------------------------------------------------------------------------------

  function setPick(mode, message) {
    pick = mode;
    pickHint.textContent = message || "";
    pickHint.hidden = !mode;
    state.cy.nodes().removeClass("pick-source");
    if (mode === "target") {
      state.cy.getElementById(`n${addLink.elements.source_id.value}`).addClass("pick-source");
    }
  }

  $("vn-pick-link").addEventListener("click", () => {
    addLink.closest("details").open = true;
    setPick("source", "Click the cause: a differentiator or an outcome.");
  });
  $("vn-link-from").addEventListener("click", () => {
    const node = selectedNode();
    if (!node) return;
    addLink.closest("details").open = true;
    addLink.elements.source_id.value = String(node.id);
    setPick("target", `Now click the outcome that "${node.name}" leads to.`);
  });

  function onTap(element) {
    if (!pick || !element.isNode()) return false;
    const id = String(element.data("nodeId"));
    if (pick === "source") {
      addLink.elements.source_id.value = id;
      setPick("target", `Now click the outcome that "${element.data("name")}" leads to.`);
    } else {
      addLink.elements.target_id.value = id;
      setPick(null);
      addLink.requestSubmit();
    }
    return true;
  }

  onSubmit(addLink, async (data) => {
    const body = {
      source_id: Number(data.get("source_id")),
      target_id: Number(data.get("target_id")),
      two_way: data.get("two_way") === "on",
      rationale: String(data.get("rationale") || "").trim(),
    };
    const link = await api("POST", "/links", body);
    state.selected = `l${link.id}`;
  });
  addLink.addEventListener("saved", () => {
    addLink.elements.rationale.value = "";
    addLink.elements.two_way.checked = false;
  });

  onSubmit(editLink, async (data) => {
    const link = selectedLink();
    if (!link) return;
    const body = {
      two_way: data.get("two_way") === "on",
      rationale: String(data.get("rationale") || "").trim(),
    };
    await api("PATCH", `/links/${link.id}`, body);
  });
  $("vn-delete-link").addEventListener("click", () => {
    const link = selectedLink();
    if (!link) return;
    change(async () => {
      await api("DELETE", `/links/${link.id}`);
      state.selected = null;
    });
  });

  // --- personas and competitors ------------------------------------------------------------------

  onSubmit($("vn-add-persona"), async (data) => {
    const body = {
      name: String(data.get("name") || "").trim(),
      description: String(data.get("description") || ""),
    };
    const persona = await api("POST", "/personas", body);
    attach.elements.persona_id.value = String(persona.id);
    state.pendingPersona = String(persona.id);
  });
  $("vn-add-persona").addEventListener("saved", (event) => event.target.reset());

  const attachPath = () =>
    `/personas/${attach.elements.persona_id.value}/outcomes/${attach.elements.outcome_id.value}`;
  onSubmit(attach, async (data) => {
    await api("PUT", attachPath(), { strength: String(data.get("strength")) });
  });
  $("vn-detach").addEventListener("click", () => {
    change(() => api("DELETE", attachPath()));
  });

  onSubmit($("vn-add-competitor"), async (data) => {
    const competitor = await api("POST", "/competitors", {
      name: String(data.get("name") || "").trim(),
    });
    state.pendingCompetitor = String(competitor.id);
  });
  $("vn-add-competitor").addEventListener("saved", (event) => event.target.reset());

  onSubmit(matchForm, async (data) => {
    const path = `/competitors/${data.get("competitor_id")}/matches/${data.get("differentiator_id")}`;
    await api("PUT", path, { match: String(data.get("match")) });
  });

  // --- keeping the forms in step with the data and the selection ----------------------------------

  function onData(data) {
    const outcomes = data.nodes.filter((n) => n.node_type === "outcome");
    const differentiators = data.nodes.filter((n) => n.node_type === "differentiator");
    const everyNode = [...differentiators, ...outcomes].map((n) => ({
      id: n.id,
      label: `${n.name} (${n.node_type})`,
    }));
    fillSelect(addLink.elements.source_id, everyNode);
    fillSelect(addLink.elements.target_id, outcomes);
    fillSelect(attach.elements.persona_id, data.persona_list);
    fillSelect(attach.elements.outcome_id, outcomes);
    fillSelect(matchForm.elements.competitor_id, data.competitor_list);
    fillSelect(matchForm.elements.differentiator_id, differentiators);
    if (state.pendingPersona) attach.elements.persona_id.value = state.pendingPersona;
    if (state.pendingCompetitor) matchForm.elements.competitor_id.value = state.pendingCompetitor;
    state.pendingPersona = null;
    state.pendingCompetitor = null;
  }

  function onSelect(element) {
    const node = element && element.isNode() ? selectedNode() : null;
    const link = element && element.isEdge() ? selectedLink() : null;
    editNode.hidden = !node;
    editLink.hidden = !link;
    if (node) {
      const f = editNode.elements;
      f.name.value = node.name;
      f.description.value = node.description;
      showFieldsFor(editNode, node.node_type);
      if (node.node_type === "outcome") {
        f.outcome_kind.value = node.outcome_kind;
        f.executive.checked = node.executive;
        f.measure.value = node.measure;
        f.unit.value = node.unit;
        attach.elements.outcome_id.value = String(node.id);
      } else {
        f.differentiator_kind.value = node.differentiator_kind;
        matchForm.elements.differentiator_id.value = String(node.id);
      }
      if (!pick) addLink.elements.source_id.value = String(node.id);
    }
    if (link) {
      editLink.elements.two_way.checked = link.two_way;
      editLink.elements.rationale.value = link.rationale;
    }
  }

  return { onData, onSelect, onTap };
}
