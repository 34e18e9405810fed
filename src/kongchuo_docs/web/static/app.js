// 控辍保学文书工具箱 — the live outline of the 写通知 page. Plain script (CSP: no inline script).
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  var body = document.getElementById("f-body");
  var list = document.getElementById("outline");
  var problems = document.getElementById("outline-problems");
  if (!body || !list || !token) return;
  var timer = null;
  var sent = null;

  function show(data) {
    list.textContent = "";
    data.headings.forEach(function (h) {
      var li = document.createElement("li");
      li.className = "level-" + h.level;
      li.textContent = h.text;
      list.appendChild(li);
    });
    problems.textContent = "";
    data.problems.forEach(function (p) {
      var li = document.createElement("li");
      li.className = p.severity === "error" ? "field-error" : "field-warning";
      li.textContent = "正文第 " + p.line + " 行：" + p.message;
      problems.appendChild(li);
    });
  }

  function refresh() {
    var text = body.value;
    if (text === sent) return;
    sent = text;
    fetch(list.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": token.content},
      body: JSON.stringify({body: text})
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && text === body.value) show(data); })
      .catch(function () {});
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  refresh();
})();

// 写通知: a warning before leaving the page with changes not yet sent (检查, 预览 and the downloads
// keep the form for the session; typing alone does not).
(function () {
  "use strict";
  var form = document.getElementById("notice-form");
  if (!form) return;
  var changed = false;
  form.addEventListener("input", function () { changed = true; });
  form.addEventListener("submit", function () { changed = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!changed) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();

// A refused form: the red summary at the top takes the focus, so it is read first.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();

// The 模板 page: a 〔…〕 chip button writes itself into its paragraph's box (or the last box used)
// at the cursor.
(function () {
  "use strict";
  var form = document.getElementById("sentences");
  if (!form) return;
  var last = null;
  form.addEventListener("focusin", function (e) {
    if (e.target.tagName === "TEXTAREA") last = e.target;
  });
  form.addEventListener("click", function (e) {
    var chip = e.target;
    if (!chip.classList || !chip.classList.contains("chip")) return;
    var box = chip.dataset.for ? document.getElementById(chip.dataset.for) : last;
    if (!box) return;
    var at = box.selectionStart === undefined ? box.value.length : box.selectionStart;
    box.value = box.value.slice(0, at) + chip.textContent + box.value.slice(box.selectionEnd || at);
    box.focus();
    box.selectionStart = box.selectionEnd = at + chip.textContent.length;
  });
})();
