// Placeholder UI: setup wizard, login, and a live notification list. Plain JavaScript, no build.
"use strict";

const app = document.getElementById("app");
let nextId = 1;

async function rpc(method, params = {}) {
  const res = await fetch("/rpc/v1", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
  const body = await res.json();
  if (body.error) {
    const detail = body.error.data && body.error.data.details ? body.error.data.details : body.error.message;
    const err = new Error(detail);
    err.code = body.error.code;
    throw err;
  }
  return body.result;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function show(...children) { app.replaceChildren(...children); }

// --- screens ---
function setupForm() {
  const error = el("p", { class: "error" });
  const name = el("input", { id: "name", placeholder: "My Cool Server" });
  const pw = el("input", { id: "password", type: "password" });
  const pw2 = el("input", { id: "password2", type: "password" });
  const submit = async (e) => {
    e.preventDefault();
    error.textContent = "";
    if (pw.value.length < 8) { error.textContent = "Use at least 8 characters."; return; }
    if (pw.value !== pw2.value) { error.textContent = "The passwords differ."; return; }
    try {
      const jwk = await rpc("setup.get-pubkey");
      const encrypted = await encryptPassword(pw.value, jwk);
      const started = await rpc("setup.execute", { password: { encrypted }, name: name.value, recoverySource: null, kiosk: false });
      show(el("p", {}, "Setting up…"));
      await followProgress(started.guid);
      finished(await rpc("setup.complete"));
    } catch (err) { error.textContent = err.message; }
  };
  show(el("form", { onsubmit: submit },
    el("h2", {}, "Set up your server"),
    el("label", { for: "name" }, "Server name"), name,
    el("label", { for: "password" }, "Master password"), pw,
    el("label", { for: "password2" }, "Repeat it"), pw2,
    el("button", { type: "submit" }, "Start fresh"), error));
}

function followProgress(guid) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/rpc/${guid}`);
    ws.onclose = (e) => (e.code === 1000 ? resolve() : reject(new Error(e.reason || "setup failed")));
  });
}

function finished(done) {
  show(el("h2", {}, "Your server is ready"),
    el("p", {}, "Its address on your network: ", el("strong", {}, `${done.hostname}.local`)),
    el("p", {}, el("a", { href: "/static/StartOS-info.html", download: "StartOS-info.html" }, "Save the server information"),
      " — it holds the address and the root certificate to trust."),
    el("p", {}, el("a", { href: "/static/local-root-ca.crt", download: `${done.hostname}.crt` }, "Download the root certificate")),
    el("button", { onclick: async () => { await rpc("setup.exit"); location.reload(); } }, "Go to the server"));
}

function loginForm() {
  const error = el("p", { class: "error" });
  const pw = el("input", { id: "password", type: "password" });
  const submit = async (e) => {
    e.preventDefault();
    try { await rpc("auth.login", { password: pw.value, metadata: { platforms: ["web"] } }); dashboard(); }
    catch (err) { error.textContent = err.message; }
  };
  show(el("form", { onsubmit: submit }, el("h2", {}, "Log in"),
    el("label", { for: "password" }, "Master password"), pw, el("button", { type: "submit" }, "Log in"), error));
}

function applyPatch(doc, ops) {
  for (const op of ops) {
    const keys = op.path.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (keys.length === 0) { doc = op.op === "remove" ? null : op.value; continue; }
    let parent = doc;
    for (const k of keys.slice(0, -1)) parent = parent[k];
    const last = keys[keys.length - 1];
    if (Array.isArray(parent)) {
      const i = last === "-" ? parent.length : Number(last);
      if (op.op === "add") parent.splice(i, 0, op.value); else if (op.op === "remove") parent.splice(i, 1); else parent[i] = op.value;
    } else if (op.op === "remove") delete parent[last]; else parent[last] = op.value;
  }
  return doc;
}

async function dashboard() {
  const sub = await rpc("db.subscribe", {});
  let model = sub.dump.value;
  let revision = sub.dump.id;
  const list = el("div", { id: "notifications" });
  const render = () => {
    document.getElementById("server").textContent = `${model.serverInfo.name} — ${model.serverInfo.hostname}.local`;
    const items = Object.values(model.notifications || {}).sort((a, b) => b.id - a.id);
    list.replaceChildren(...(items.length ? items.map((n) =>
      el("div", { class: `notification ${n.level}` }, el("strong", {}, n.title), " ", n.message)) : [el("p", {}, "No notifications.")]));
  };
  show(el("h2", {}, "Notifications"), list,
    el("button", { onclick: async () => { await rpc("auth.logout"); location.reload(); } }, "Log out"));
  render();
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/rpc/${sub.guid}`);
  ws.onmessage = (m) => {
    const rev = JSON.parse(m.data);
    if (rev.id < revision + 1) return;
    model = applyPatch(model, rev.patch);
    revision = rev.id;
    render();
  };
}

/** A server that could not start says why (its diagnostic mode), with its last log lines. */
async function diagnostic() {
  const error = await rpc("diagnostic.error");
  const logs = await rpc("diagnostic.logs", { limit: 20 });
  show(
    el("h1", {}, "The server could not start"),
    el("p", { class: "error" }, `Error ${error.code}: ${error.message}`),
    el("h2", {}, "Its last log lines"),
    el("pre", {}, logs.entries.map((e) => `${e.timestamp}  ${e.message}`).join("\n")),
  );
}

async function start() {
  // `state` answers only in normal mode, which begins as soon as setup has written the database,
  // and in diagnostic mode, where it is "error".
  try {
    if ((await rpc("state")) === "error") { await diagnostic(); return; }
  } catch (err) {
    if (err.code !== -32601) { show(el("p", { class: "error" }, err.message)); return; }
    try {
      const status = await rpc("setup.status");
      if (status.status === "complete") finished(await rpc("setup.complete"));
      else setupForm();
    } catch (e) { show(el("p", { class: "error" }, e.message)); }
    return;
  }
  try { await rpc("server.time"); dashboard(); } catch (e) { loginForm(); }
}

start();
