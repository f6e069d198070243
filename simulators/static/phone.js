// The web phone simulator's phones: USSD through /sim/phone/ussd, texts through the gateway
// simulators' inbound paths, and what each number received read from /sim/messages every 2 s.
"use strict";

(function () {
  const T = JSON.parse(document.getElementById("phone-labels").textContent);
  const CODE = JSON.parse(document.getElementById("phone-code").textContent);
  const POLL_MS = 2000;
  const ROLE_OF_ACTOR = { customer: "customer", restaurant: "restaurant", driver: "driver" };

  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  // A typed number as the gateways carry it: E.164, a Cameroonian 9-digit number taken as +237.
  function e164(raw) {
    let number = raw.replace(/[\s().-]/g, "");
    if (number.startsWith("00")) number = "+" + number.slice(2);
    if (/^[26]\d{8}$/.test(number)) number = "+237" + number;
    if (/^\d+$/.test(number)) number = "+" + number;
    return /^\+[1-9]\d{7,14}$/.test(number) ? number : null;
  }

  async function call(method, path, body) {
    const options = { method, headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try { data = await response.json(); } catch (_) { data = null; }
    return { ok: response.ok, status: response.status, data };
  }

  function problem(answer) {
    if (answer.data && answer.data.error) return answer.data.error.message;
    return say(T.not_forwarded, { status: answer.status });
  }

  function clock(iso) {
    const at = iso ? new Date(iso) : new Date();
    return at.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
  }

  // A WhatsApp message as Meta carries it: {"type": "text"|"interactive", ...}; anything else is plain text.
  function whatsappParts(text) {
    let message;
    try { message = JSON.parse(text); } catch (_) { return { body: text, choices: [] }; }
    if (!message || typeof message !== "object") return { body: text, choices: [] };
    if (message.type === "text") return { body: (message.text || {}).body || "", choices: [] };
    const interactive = message.interactive || {};
    const body = (interactive.body || {}).text || "";
    const action = interactive.action || {};
    if (interactive.type === "button") {
      return { body, choices: (action.buttons || []).map((b) => ({ id: b.reply.id, title: b.reply.title, kind: "button" })) };
    }
    const rows = [];
    for (const section of action.sections || []) for (const row of section.rows || []) rows.push(row);
    return { body, choices: rows.map((r) => ({ id: r.id, title: r.description || r.title, short: r.title, kind: "list" })) };
  }

  class Phone {
    constructor(root) {
      this.root = root;
      this.role = root.dataset.role;
      this.numberInput = root.querySelector(".number");
      this.numberError = root.querySelector(`#${this.role}-number-error`);
      this.entry = root.querySelector(".entry");
      this.entryError = root.querySelector(`#${this.role}-entry-error`);
      this.state = root.querySelector(".screen-state");
      this.screen = root.querySelector(".screen-text");
      this.callButton = root.querySelector(".call");
      this.prompt = root.querySelector(".prompt");
      this.promptText = root.querySelector(".prompt-text");
      this.message = root.querySelector(".message");
      this.messageError = root.querySelector(`#${this.role}-message-error`);
      this.inbox = root.querySelector(".inbox");
      this.empty = root.querySelector(".empty");
      this.session = null; // {id, code, keys} while a USSD session is open
      this.seen = new Map(); // message id -> its list item
      this.polling = false;
      this.pending = null; // the payment prompt shown
      this.number = e164(this.numberInput.value);

      root.querySelector(".ussd").addEventListener("submit", (event) => { event.preventDefault(); this.press(); });
      root.querySelector(".hang-up").addEventListener("click", () => this.hangUp());
      for (const key of root.querySelectorAll(".key")) {
        key.addEventListener("click", () => { this.entry.value += key.dataset.key; this.entry.focus(); });
      }
      root.querySelector(".compose").addEventListener("submit", (event) => { event.preventDefault(); this.text(); });
      root.querySelector(".approve").addEventListener("click", () => this.answerPrompt("approve"));
      root.querySelector(".decline").addEventListener("click", () => this.answerPrompt("decline"));
      this.numberInput.addEventListener("change", () => this.changeNumber());
    }

    changeNumber() {
      const number = e164(this.numberInput.value);
      this.numberError.textContent = number ? "" : T.bad_number;
      if (number === this.number) return;
      this.hangUp();
      this.number = number;
      if (number) this.numberInput.value = number;
      this.seen.clear();
      this.inbox.replaceChildren();
      this.empty.hidden = false;
      this.showPrompt(null);
      updateSwitch();
      this.poll();
    }

    need(numberOk) {
      if (!this.number) { this.numberError.textContent = T.bad_number; this.numberInput.focus(); }
      return numberOk && this.number;
    }

    show(screen) {
      this.screen.textContent = screen.text;
      this.state.textContent = screen.ended ? T.ended : T.reply_expected;
      this.callButton.textContent = screen.ended ? T.call : T.send;
    }

    async press() {
      if (!this.need(true)) return;
      const typed = this.entry.value.trim();
      this.entryError.textContent = "";
      let hop;
      if (this.session) {
        hop = { phone: this.number, code: this.session.code, session_id: this.session.id, keys: [...this.session.keys, typed] };
      } else if (/^\*[0-9*]{1,30}#$/.test(typed)) {
        hop = { phone: this.number, code: typed };
      } else {
        this.entryError.textContent = say(T.bad_code, { code: CODE });
        return;
      }
      this.state.textContent = T.waiting;
      let answer;
      try { answer = await call("POST", "/sim/phone/ussd", hop); } catch (_) { answer = null; }
      if (!answer || !answer.ok) {
        this.entryError.textContent = answer ? problem(answer) : T.unreachable;
        this.state.textContent = this.session ? T.reply_expected : say(T.idle, { code: CODE });
        return;
      }
      const screen = answer.data;
      this.session = screen.ended ? null : { id: screen.session_id, code: hop.code, keys: hop.keys || [] };
      this.show(screen);
      this.entry.value = screen.ended ? CODE : "";
      this.entry.focus();
      if (screen.ended) this.poll();
    }

    hangUp() {
      if (!this.session) return;
      this.session = null;
      this.screen.textContent = ""; // a phone clears its screen when the person hangs up
      this.state.textContent = T.ended;
      this.callButton.textContent = T.call;
      this.entry.value = CODE;
    }

    async text() {
      if (!this.need(true)) return;
      const words = this.message.value.trim();
      this.messageError.textContent = "";
      if (!words) { this.message.focus(); return; }
      const channel = this.root.querySelector(`input[name="${this.role}-channel"]:checked`).value;
      await this.send(channel, words, { text: words });
      this.message.value = "";
    }

    async send(channel, shown, fields) {
      const path = channel === "whatsapp" ? "/sim/meta/inbound" : "/sim/at/inbound";
      let answer;
      try { answer = await call("POST", path, { from: this.number, ...fields }); } catch (_) { answer = null; }
      const item = this.item(true, channel, shown, null, "");
      if (!answer || !answer.ok || answer.data.forwarded !== 200) {
        const status = answer ? (answer.ok ? answer.data.forwarded : answer.status) : 0;
        item.querySelector(".meta").textContent += " · " + (answer ? say(T.not_forwarded, { status }) : T.unreachable);
      }
      setTimeout(() => this.poll(), 300);
    }

    item(mine, channel, text, iso, status) {
      const li = document.createElement("li");
      li.className = mine ? "mine" : "fresh";
      const meta = document.createElement("div");
      meta.className = "meta";
      const who = mine ? T.you + " · " : "";
      meta.textContent = `${who}${T[channel] || channel} · ${clock(iso)}${status ? " · " + (T[status] || status) : ""}`;
      const body = document.createElement("div");
      body.className = "body";
      li.append(meta, body);
      const parts = channel === "whatsapp" && !mine ? whatsappParts(text) : { body: text, choices: [] };
      body.textContent = parts.body;
      if (parts.choices.length) {
        const choices = document.createElement("div");
        choices.className = "choices";
        for (const choice of parts.choices) {
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = choice.title;
          button.addEventListener("click", () =>
            this.send("whatsapp", choice.title, { reply_id: choice.id, reply_title: choice.short || choice.title, kind: choice.kind }));
          choices.append(button);
        }
        li.append(choices);
      }
      this.inbox.append(li);
      this.empty.hidden = true;
      li.scrollIntoView({ block: "nearest" });
      return li;
    }

    async poll() {
      if (this.polling || !this.number) return;
      this.polling = true;
      const number = this.number;
      try {
        const [messages, payments] = await Promise.all([
          call("GET", "/sim/messages?to=" + encodeURIComponent(number)),
          call("GET", "/sim/payments?phone=" + encodeURIComponent(number)),
        ]);
        if (number !== this.number) return; // the number changed meanwhile
        if (messages.ok) this.received(messages.data);
        if (payments.ok) this.showPrompt(payments.data.find((p) => p.status === "pending") || null);
      } catch (_) {
        // the service is restarting: the next poll tries again
      } finally {
        this.polling = false;
      }
    }

    received(messages) {
      for (const old of this.inbox.querySelectorAll("li.fresh")) old.classList.remove("fresh");
      for (const m of messages) {
        const known = this.seen.get(m.id);
        if (known) {
          known.querySelector(".meta").textContent = `${T[m.channel] || m.channel} · ${clock(m.created_at)} · ${T[m.status] || m.status}`;
          continue;
        }
        this.seen.set(m.id, this.item(false, m.channel, m.text, m.created_at, m.status));
      }
    }

    showPrompt(payment) {
      if (payment && this.pending && payment.reference === this.pending.reference) return;
      this.pending = payment;
      this.prompt.hidden = !payment;
      if (payment) {
        const provider = payment.provider === "mtn" ? "MTN MoMo" : "CamPay";
        this.promptText.textContent = say(T.prompt_text, { provider, amount: payment.amount.toLocaleString(document.documentElement.lang), currency: payment.currency });
        for (const button of this.prompt.querySelectorAll("button")) button.disabled = false;
      }
    }

    async answerPrompt(answer) {
      if (!this.pending) return;
      for (const button of this.prompt.querySelectorAll("button")) button.disabled = true;
      const reply = await call("POST", `/sim/payments/${encodeURIComponent(this.pending.reference)}/${answer}`);
      this.promptText.textContent = reply.ok ? (answer === "approve" ? T.approved : T.declined) : problem(reply);
      setTimeout(() => this.poll(), 500);
    }
  }

  const phones = [...document.querySelectorAll(".phone")].map((root) => new Phone(root));

  function updateSwitch() {
    const link = document.getElementById("language-switch");
    const query = new URLSearchParams({ lang: link.hreflang });
    for (const phone of phones) if (phone.number) query.set(phone.role, phone.number);
    link.href = "?" + query.toString();
  }

  async function loadPeople() {
    let people = [];
    try {
      const answer = await call("GET", "/sim/actors");
      if (answer.ok) people = answer.data;
    } catch (_) { people = []; }
    let city = null; // the empty phones are filled with people of the customer's city, to play one order through
    for (const phone of phones) { // the customer's phone comes first
      const mine = people.filter((p) => ROLE_OF_ACTOR[p.role] === phone.role);
      const list = document.getElementById(`${phone.role}-people`);
      for (const person of mine) {
        const option = document.createElement("option");
        option.value = person.phone;
        option.label = [person.name, person.restaurant, person.city].filter(Boolean).join(" · ");
        list.append(option);
      }
      if (!phone.numberInput.value && mine.length) {
        phone.numberInput.value = (mine.find((p) => city && p.city === city) || mine[0]).phone;
        phone.changeNumber();
      }
      const me = mine.find((p) => p.phone === phone.number);
      if (phone.role === "customer" && me) city = me.city;
    }
    updateSwitch();
  }

  loadPeople();
  for (const phone of phones) phone.poll();
  setInterval(() => { for (const phone of phones) phone.poll(); }, POLL_MS);
})();
