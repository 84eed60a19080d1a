// The value case editor: add outcome rows, and name a row after the network outcome picked.
// htmx recalculates the figures on every input (hx-trigger on the form); this file only
// shapes the form. No inline script: the page's CSP allows scripts from /static only.

const form = document.getElementById("vc-form");
const rows = document.getElementById("vc-rows");
const template = document.getElementById("vc-row-template");
const addButton = document.getElementById("vc-add-row");

function addRow() {
  const index = Number(rows.dataset.nextIndex || rows.children.length);
  const html = template.innerHTML.replaceAll("__i__", String(index));
  rows.insertAdjacentHTML("beforeend", html);
  rows.dataset.nextIndex = String(index + 1);
  const added = rows.lastElementChild;
  if (window.htmx) window.htmx.process(added);
  const name = added.querySelector("input[name$='-name']");
  if (name) name.focus();
}

function namePickedOutcome(event) {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !select.classList.contains("vc-pick")) return;
  const row = select.closest(".vc-row");
  const name = row && row.querySelector("input[name$='-name']");
  if (!name || name.value.trim() || !select.value) return;
  name.value = select.options[select.selectedIndex].text;
  name.dispatchEvent(new Event("input", { bubbles: true }));
}

if (form && rows && template && addButton) {
  addButton.addEventListener("click", addRow);
  form.addEventListener("change", namePickedOutcome);
  form.dataset.ready = "true";
}
