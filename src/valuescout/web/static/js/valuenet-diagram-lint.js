// "Worth fixing": the network's lint issues (GET .../lint), listed beside the diagram. Clicking
// a name in an issue selects that node and brings it into view.

const MAX_SHOWN = 25;

export async function showLint({ api, list, count, selectByName }) {
  let issues;
  try {
    issues = await api("GET", "/lint");
  } catch (error) {
    list.replaceChildren(Object.assign(document.createElement("li"), {
      className: "muted",
      textContent: `The checks could not run: ${error.message}`,
    }));
    return;
  }
  count.textContent = issues.length ? `(${issues.length})` : "";
  list.replaceChildren();
  if (!issues.length) {
    list.append(Object.assign(document.createElement("li"), {
      className: "muted",
      textContent: "Nothing: every outcome is reached and wanted.",
    }));
    return;
  }
  for (const issue of issues.slice(0, MAX_SHOWN)) {
    const item = document.createElement("li");
    item.className = `vn-lint-${issue.severity}`;
    item.dataset.code = issue.code;
    item.append(document.createTextNode(`${issue.message} `));
    for (const subject of issue.subjects) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "vn-chip";
      button.textContent = subject;
      button.addEventListener("click", () => selectByName(subject));
      item.append(button);
    }
    list.append(item);
  }
  if (issues.length > MAX_SHOWN) {
    list.append(Object.assign(document.createElement("li"), {
      className: "muted",
      textContent: `… and ${issues.length - MAX_SHOWN} more (valuescout valuenet lint).`,
    }));
  }
}
