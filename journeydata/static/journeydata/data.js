// The journey data page: import preview and apply with upload progress, and backup restore.
// Plain script: the page is a Django template; these two forms are its only interactive parts.
(() => {
  const strings = JSON.parse(document.getElementById("data-strings").textContent);
  const format = (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? "")).replace("%%", "%");

  function csrf(form) {
    return form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  // XMLHttpRequest rather than fetch: it reports upload progress, which a large file needs.
  function post(url, form, fields, progress) {
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open("POST", url);
      request.setRequestHeader("X-CSRFToken", csrf(form));
      request.setRequestHeader("Accept", "application/json");
      request.upload.onprogress = (event) => progress && event.lengthComputable && progress(Math.round((100 * event.loaded) / event.total));
      request.upload.onload = () => progress && progress(null);
      request.onload = () => {
        let body = {};
        try {
          body = JSON.parse(request.responseText);
        } catch {
          body = { message: strings.failed };
        }
        resolve({ ok: request.status >= 200 && request.status < 300, body });
      };
      request.onerror = () => resolve({ ok: false, body: { message: strings.failed } });
      const data = new FormData();
      for (const [name, value] of Object.entries(fields)) data.append(name, value);
      request.send(data);
    });
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function showPreview(target, preview, applied) {
    target.replaceChildren();
    if (applied) {
      target.append(element("p", strings.done, "message success"));
      return;
    }
    target.append(element("p", format(strings.preview, preview)));
    if (preview.new_stages.length) target.append(element("p", format(strings.new_stages, { names: preview.new_stages.join(", ") })));
    if (preview.new_lanes.length) target.append(element("p", format(strings.new_lanes, { names: preview.new_lanes.join(", ") })));
    if (!preview.errors.length) return;
    target.append(element("p", strings.errors, "message error"));
    const table = element("table", undefined, "data-table import-errors");
    const head = table.createTHead().insertRow();
    for (const label of [strings.table, strings.row, strings.column, strings.problem]) head.append(element("th", label));
    const body = table.createTBody();
    for (const error of preview.errors) {
      const row = body.insertRow();
      for (const value of [error.table, error.row, error.column, error.message]) row.append(element("td", String(value)));
    }
    target.append(table);
  }

  const importForm = document.getElementById("import-form");
  if (importForm) {
    const progress = document.getElementById("import-progress");
    const result = document.getElementById("import-result");
    const applyButton = importForm.querySelector("button[name=apply]");
    const fileInput = importForm.querySelector("input[type=file]");
    fileInput.addEventListener("change", () => (applyButton.disabled = true));

    async function send(apply) {
      const file = fileInput.files[0];
      if (!file) return;
      applyButton.disabled = true;
      progress.hidden = false;
      progress.value = 0;
      result.replaceChildren(element("p", format(strings.uploading, { percent: 0 })));
      const { ok, body } = await post(importForm.dataset.url, importForm, { file, apply: apply ? "true" : "false" }, (percent) => {
        if (percent === null) {
          progress.removeAttribute("value");
          result.replaceChildren(element("p", strings.processing));
        } else {
          progress.value = percent;
          result.replaceChildren(element("p", format(strings.uploading, { percent })));
        }
      });
      progress.hidden = true;
      if (!ok) {
        result.replaceChildren(element("p", body.message || strings.failed, "message error"));
        return;
      }
      showPreview(result, body, body.applied);
      applyButton.disabled = body.applied || body.errors.length > 0;
    }

    importForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void send(false);
    });
    applyButton.addEventListener("click", () => void send(true));
  }

  const restoreForm = document.getElementById("restore-form");
  restoreForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = document.getElementById("restore-result");
    const file = restoreForm.querySelector("input[type=file]").files[0];
    const { ok, body } = await post(restoreForm.dataset.url, restoreForm, { file });
    if (!ok) {
      result.replaceChildren(element("p", body.message || strings.failed, "message error"));
      return;
    }
    result.replaceChildren(element("p", strings.restored, "message success"));
    window.location.assign(`/boards/${body.board.id}/`);
  });
})();
