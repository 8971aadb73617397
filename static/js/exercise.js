// The exercise page. Without JavaScript it is a form of textareas, one per file, with a
// list of links to them. With it, the same form becomes a workspace: a file tree (an
// ARIA tree, operable by keys) beside one ACE editor holding a session per file (so undo
// is per file; read-only files are shown but not editable); what is typed is saved as a
// draft on the server as the learner types; Ctrl/Cmd+Enter submits; the submission is
// posted without a reload and its status pushed (or polled) until it has a verdict. Where the
// exercise has editable folders (the page's "ws-rules"), the learner may also add files
// there and rename or delete them, each name checked as the server will check it.
(function () {
  "use strict";

  var MODES = [
    [/\.py$/, "ace/mode/python"],
    [/\.html?$/, "ace/mode/django"],
    [/\.css$/, "ace/mode/css"],
    [/\.js$/, "ace/mode/javascript"],
    [/\.json$/, "ace/mode/json"],
    [/\.sql$/, "ace/mode/sql"],
    [/\.(md|txt)$/, "ace/mode/markdown"],
  ];
  var DRAFT_DELAY = 800; // ms after the last keystroke before the draft is saved
  var PATH_PART = /^[A-Za-z0-9_.-]+$/; // lessons.paths.PATH_PART

  function modeFor(path) {
    for (var i = 0; i < MODES.length; i++) if (MODES[i][0].test(path)) return MODES[i][1];
    return "ace/mode/text";
  }

  // --- The workspace: the tree, one editor, a session per file -------------------------

  function Workspace(form) {
    this.form = form;
    this.files = {}; // path -> { textarea, box, session, editable, removable }
    this.order = [];
    this.current = null;
    this.onChange = function () {};
    var rules = document.getElementById("ws-rules");
    this.rules = rules ? JSON.parse(rules.textContent) : null; // editable folders: see setUpFiles
    this.changing = false; // true once the page offers New file, Rename and Delete
    this.boxes = form.querySelectorAll(".ws-file").length; // for the ids of new files' boxes
  }

  Workspace.prototype.start = function () {
    var self = this;
    var script = document.querySelector("script[data-ace-base]");
    if (script) window.ace.config.set("basePath", script.getAttribute("data-ace-base"));
    var holder = document.getElementById("ws-editor");
    holder.hidden = false;
    this.editor = window.ace.edit(holder, {
      tabSize: 4,
      useSoftTabs: true,
      showPrintMargin: false,
      fontSize: "14px",
      // Tab indents inside the editor; Escape gives the keys back to the page, so that Tab
      // then moves on (no keyboard trap).
      enableKeyboardAccessibility: true,
    });
    this.form.querySelectorAll("textarea.code-editor").forEach(function (textarea) { self.track(textarea); });
    this.form.classList.add("ws-ready");
    this.form.querySelector(".ws-bar").hidden = false;
    this.tree = new Tree(this.form.querySelector(".ws-tree ul.tree"), function (path) { self.open(path, true); });
    var first = this.order[0];
    var wanted = (window.location.hash || "").slice(1);
    this.order.forEach(function (path) {
      if (self.files[path].textarea.id === wanted + "-text") first = path;
    });
    if (first) this.open(first, false);
  };

  // A file's box (its textarea, the way without JavaScript) becomes a session of the editor.
  Workspace.prototype.track = function (textarea) {
    var self = this;
    var path = textarea.dataset.path;
    var session = window.ace.createEditSession(textarea.value, modeFor(path));
    session.setUndoManager(new window.ace.UndoManager());
    session.setOptions({ tabSize: 4, useSoftTabs: true });
    var editable = !textarea.readOnly;
    var box = textarea.closest(".ws-file");
    if (editable) {
      session.on("change", function () {
        textarea.value = session.getValue();
        self.onChange(textarea.dataset.path); // read now: a rename changes it
      });
    }
    this.files[path] = {
      textarea: textarea,
      box: box,
      session: session,
      editable: editable,
      removable: editable && box.hasAttribute("data-removable"),
    };
    this.order.push(path);
  };

  Workspace.prototype.open = function (path, focus) {
    var file = this.files[path];
    if (!file) return;
    this.current = path;
    this.editor.setSession(file.session);
    this.editor.setReadOnly(!file.editable);
    document.getElementById("ws-path").textContent = path;
    document.getElementById("ws-lock").hidden = file.editable;
    var actions = document.getElementById("ws-file-actions");
    if (actions) actions.hidden = !(this.changing && file.removable);
    this.editor.setOption("textInputAriaLabel", path + (file.editable ? "" : " (read-only)"));
    this.tree.select(path);
    if (focus) this.editor.focus();
  };

  // No file left to show (every one was deleted): an empty editor that takes no text.
  Workspace.prototype.openNothing = function () {
    this.current = null;
    this.editor.setSession(window.ace.createEditSession("", "ace/mode/text"));
    this.editor.setReadOnly(true);
    document.getElementById("ws-path").textContent = "No file open";
    document.getElementById("ws-lock").hidden = true;
    var actions = document.getElementById("ws-file-actions");
    if (actions) actions.hidden = true;
  };

  // --- Adding, renaming and deleting files (in the editable folders) ---------------------

  // A new file: its box in the form (so that it is submitted), a session, the tree again.
  Workspace.prototype.add = function (path, text) {
    var id;
    do {
      this.boxes += 1;
      id = "file-" + this.boxes;
    } while (document.getElementById(id));
    var box = document.createElement("div");
    box.className = "ws-file";
    box.id = id;
    box.setAttribute("data-removable", "");
    var label = document.createElement("label");
    label.className = "filename";
    label.htmlFor = id + "-text";
    label.textContent = path;
    var textarea = document.createElement("textarea");
    textarea.id = id + "-text";
    textarea.className = "code-editor";
    textarea.name = "file:" + path;
    textarea.dataset.path = path;
    textarea.rows = 18;
    textarea.spellcheck = false;
    textarea.setAttribute("autocapitalize", "off");
    textarea.value = text;
    box.appendChild(label);
    box.appendChild(textarea);
    this.form.querySelector(".ws-files").appendChild(box);
    this.track(textarea);
  };

  // The same session under another name: the text and its undo history go with it.
  Workspace.prototype.move = function (from, to) {
    var file = this.files[from];
    delete this.files[from];
    this.files[to] = file;
    this.order[this.order.indexOf(from)] = to;
    file.textarea.name = "file:" + to;
    file.textarea.dataset.path = to;
    file.box.querySelector("label").textContent = to;
    file.session.setMode(modeFor(to));
    if (this.current === from) this.current = to;
  };

  Workspace.prototype.drop = function (path) {
    var file = this.files[path];
    file.box.parentNode.removeChild(file.box);
    delete this.files[path];
    this.order.splice(this.order.indexOf(path), 1);
    if (this.current === path) this.current = null;
  };

  Workspace.prototype.create = function (path) {
    this.add(path, "");
    this.renderTree();
    this.open(path, true);
    this.onChange(path);
  };

  Workspace.prototype.rename = function (from, to) {
    this.move(from, to);
    this.renderTree();
    this.open(to, false);
    this.onChange(to);
  };

  // Delete a file. The keyboard's focus goes to the file after it in its folder (else the
  // one before, else the nearest in the tree), which is opened if the deleted one was.
  Workspace.prototype.remove = function (path) {
    var shown = this.tree.files();
    var at = shown.indexOf(path);
    var folder = path.slice(0, path.lastIndexOf("/") + 1);
    var sibling = function (other) { return other && other.slice(0, other.lastIndexOf("/") + 1) === folder; };
    var next = [shown[at + 1], shown[at - 1]].filter(sibling)[0] || shown[at + 1] || shown[at - 1] || null;
    var wasOpen = this.current === path;
    this.drop(path);
    this.renderTree();
    if (wasOpen && next) this.open(next, false);
    else if (wasOpen) this.openNothing();
    else this.tree.select(this.current);
    this.tree.focusPath(next);
    this.onChange(path);
  };

  // What a new file's name would break, in words, or null: the checks of the server
  // (lessons.paths.learner_path_problem, submission_files_clean) made in the browser.
  // ``from`` is the file being renamed (null for a new file).
  Workspace.prototype.nameProblem = function (path, from) {
    var rules = this.rules;
    var example = this.folderPrefixes()[0] + "name.py";
    var quoted = "“" + path + "”";
    if (!path) return "Type the file's path, such as " + example + ".";
    if (path.charAt(0) === "/") return quoted + " should be a relative path, such as " + example + ".";
    if (path.charAt(path.length - 1) === "/") return quoted + " is a folder: add the file's name after the last “/”.";
    var parts = path.split("/");
    if (parts.some(function (part) { return part === "" || part === "." || part === ".."; })) {
      return quoted + " leaves the exercise or has an empty part: no “..”, “.” or “//”.";
    }
    if (!parts.every(function (part) { return PATH_PART.test(part); })) {
      var bad = path.match(/[^A-Za-z0-9_.\/-]/)[0];
      return quoted + " has " + (bad === " " ? "a space" : "“" + bad + "”") +
        ": a path may have letters, digits, “_”, “-”, “.” and “/” only.";
    }
    if (path.length > rules.max_path_chars || parts.length > rules.max_depth + 1) {
      return "The path is too long: at most " + rules.max_path_chars + " characters and " + rules.max_depth + " folders.";
    }
    var hidden = parts.filter(function (part) { return part.charAt(0) === "."; })[0];
    if (hidden) return quoted + ": names starting with a dot (hidden files such as " + hidden + ") are not graded.";
    var reserved = parts.filter(function (part) { return rules.reserved_parts.indexOf(part) >= 0; })[0];
    var name = parts[parts.length - 1];
    if (!reserved && rules.reserved_files.indexOf(name) >= 0) reserved = name;
    if (reserved) return quoted + ": " + reserved + " is reserved (" + (rules.reserved_reasons[reserved] || "the sandbox uses it") + "). Choose another name.";
    if (/\.pyc$/.test(name)) return quoted + ": compiled Python files are not graded; write the .py source.";
    var top = parts.length === 1 ? parts[0].replace(/\.py$/, "") : parts[0];
    if (rules.reserved_top.indexOf(top) >= 0) {
      return quoted + " would hide the " + top + " package the sandbox provides: choose another name.";
    }
    var self = this;
    var others = this.order.filter(function (other) { return other !== from; });
    if (others.indexOf(path) >= 0) return quoted + " already exists: choose another name.";
    for (var i = 1; i < parts.length; i++) {
      var folder = parts.slice(0, i).join("/");
      if (others.indexOf(folder) >= 0) return "“" + folder + "” is a file, so it cannot also be a folder.";
    }
    if (others.some(function (other) { return other.indexOf(path + "/") === 0; })) {
      return quoted + " is a folder already: add “/” and the file's name after it.";
    }
    if (!rules.patterns.some(function (source) { return new RegExp(source).test(path); })) {
      return quoted + " is outside the folders where you may add files: " + rules.folders.join(", ") + ".";
    }
    var count = this.order.filter(function (other) { return self.files[other].editable; }).length;
    if (!from && count >= rules.max_files) {
      return "You have " + count + " files, the most a submission may have: delete one first.";
    }
    return null;
  };

  // Each editable folder or glob as the folder a new file would start in: "blog/**" and
  // "blog/*.html" are "blog/"; "*.html" is "" (the top of the project).
  Workspace.prototype.folderPrefixes = function () {
    return this.rules.folders.map(function (entry) {
      var wild = entry.search(/[*?]/);
      var head = wild < 0 ? entry : entry.slice(0, wild);
      return head.slice(0, head.lastIndexOf("/") + 1);
    });
  };

  // Where a new file starts: the folder chosen in the tree (or the open file's), when
  // new files may go there, else the first editable folder.
  Workspace.prototype.newFileFolder = function () {
    var prefixes = this.folderPrefixes();
    var item = this.tree.root.querySelector('li[tabindex="0"]');
    var chosen = "";
    if (item && item.dataset.folder) chosen = item.dataset.folder + "/";
    else if (item && item.dataset.path) chosen = item.dataset.path.slice(0, item.dataset.path.lastIndexOf("/") + 1);
    var inside = prefixes.some(function (prefix) { return chosen.indexOf(prefix) === 0; });
    return inside ? chosen : prefixes[0];
  };

  // The tree's markup again from the files, as sandbox/templatetags/file_tree.py writes
  // it (folders first, then files, each by name); folded folders stay folded.
  Workspace.prototype.renderTree = function () {
    var root = { children: {} };
    this.order.forEach(function (path) {
      var node = root;
      var parts = path.split("/");
      for (var i = 0; i < parts.length - 1; i++) {
        var key = parts[i] + "/"; // a folder and a file of one name stay two entries
        if (!node.children[key]) {
          node.children[key] = { name: parts[i], path: parts.slice(0, i + 1).join("/"), folder: true, children: {} };
        }
        node = node.children[key];
      }
      node.children[parts[parts.length - 1]] = { name: parts[parts.length - 1], path: path, folder: false };
    });
    var folded = Array.prototype.map.call(this.tree.root.querySelectorAll('li[aria-expanded="false"]'), function (li) {
      return li.dataset.folder;
    });
    var list = this.tree.root;
    while (list.firstChild) list.removeChild(list.firstChild);
    list.appendChild(this.treeItems(root));
    this.tree.mark(folded);
    if (this.current) this.tree.select(this.current);
  };

  Workspace.prototype.treeItems = function (node) {
    var self = this;
    var fragment = document.createDocumentFragment();
    var items = Object.keys(node.children).map(function (key) { return node.children[key]; });
    items.sort(function (a, b) {
      if (a.folder !== b.folder) return a.folder ? -1 : 1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    items.forEach(function (item) {
      var li = document.createElement("li");
      var label;
      if (item.folder) {
        li.className = "tree-folder";
        li.dataset.folder = item.path;
        label = document.createElement("span");
        label.textContent = item.name + "/";
        var group = document.createElement("ul");
        group.appendChild(self.treeItems(item));
        li.appendChild(label);
        li.appendChild(group);
      } else {
        var file = self.files[item.path];
        li.className = "tree-file" + (file.editable ? "" : " tree-readonly");
        li.dataset.path = item.path;
        if (file.removable) li.setAttribute("data-removable", "");
        label = document.createElement("a");
        label.href = "#" + file.box.id;
        label.textContent = item.name;
        if (!file.editable) {
          label.title = item.path + " (read-only)";
          var note = document.createElement("span");
          note.className = "visually-hidden";
          note.textContent = " (read-only)";
          label.appendChild(note);
        }
        li.insertBefore(label, li.firstChild);
      }
      label.className = "tree-label";
      fragment.appendChild(li);
    });
    return fragment;
  };

  // Every editable file's text, by path: what a draft holds.
  Workspace.prototype.texts = function () {
    var out = {};
    var self = this;
    this.order.forEach(function (path) {
      if (self.files[path].editable) out[path] = self.files[path].session.getValue();
    });
    return out;
  };

  // Put ``texts`` in the editor as edits (so each file's undo brings back what was there).
  // With editable folders ``texts`` is the whole set: a file it lacks there is deleted,
  // one it adds is created.
  Workspace.prototype.replace = function (texts) {
    var self = this;
    var changed = false;
    if (this.rules) {
      this.order.slice().forEach(function (path) {
        if (self.files[path].removable && !Object.prototype.hasOwnProperty.call(texts, path)) {
          self.drop(path);
          changed = true;
        }
      });
      Object.keys(texts).forEach(function (path) {
        if (!self.files[path]) {
          self.add(path, texts[path]);
          changed = true;
        }
      });
    }
    Object.keys(texts).forEach(function (path) {
      var file = self.files[path];
      if (file && file.editable && file.session.getValue() !== texts[path]) file.session.doc.setValue(texts[path]);
    });
    if (changed) {
      this.renderTree();
      if (this.current) this.open(this.current, false);
      else if (this.order.length) this.open(this.order[0], false);
      else this.openNothing();
    }
  };

  // --- The file tree (WAI-ARIA tree view pattern) --------------------------------------

  function Tree(root, onOpen) {
    var self = this;
    this.root = root;
    this.onOpen = onOpen;
    this.onRename = null; // set when files may be renamed (F2) and deleted (Delete)
    this.onDelete = null;
    root.setAttribute("role", "tree");
    root.setAttribute("aria-label", "Project files");
    this.mark([]);
    root.addEventListener("click", function (event) {
      var li = event.target.closest("li[role=treeitem]");
      if (!li) return;
      event.preventDefault();
      self.focus(li);
      self.activate(li);
    });
    root.addEventListener("keydown", function (event) { self.key(event); });
  }

  // Make the list's items the tree's (again, once it is rebuilt); the folders named in
  // ``folded`` start folded.
  Tree.prototype.mark = function (folded) {
    this.root.querySelectorAll("li").forEach(function (li, index) {
      li.setAttribute("role", "treeitem");
      li.tabIndex = -1;
      var label = li.querySelector(":scope > .tree-label");
      label.id = "tree-label-" + index;
      li.setAttribute("aria-labelledby", label.id);
      if (li.classList.contains("tree-folder")) {
        li.setAttribute("aria-expanded", folded.indexOf(li.dataset.folder) >= 0 ? "false" : "true");
        li.querySelector(":scope > ul").setAttribute("role", "group");
      } else {
        li.setAttribute("aria-selected", "false");
        // The item is the control now: its link (the way without JavaScript) is plain text.
        label.removeAttribute("href");
        if (li.hasAttribute("data-removable")) li.setAttribute("aria-keyshortcuts", "F2 Delete");
      }
    });
    var first = this.items()[0];
    if (first) first.tabIndex = 0;
  };

  // Every file's path, in the tree's order.
  Tree.prototype.files = function () {
    return Array.prototype.map.call(this.root.querySelectorAll("li.tree-file"), function (li) { return li.dataset.path; });
  };

  Tree.prototype.focusPath = function (path) {
    var li = path && this.root.querySelector('li.tree-file[data-path="' + path + '"]');
    if (!li) li = this.items()[0];
    if (li) this.focus(li);
  };

  // The items a person can see: not inside a collapsed folder.
  Tree.prototype.items = function () {
    return Array.prototype.filter.call(this.root.querySelectorAll("li[role=treeitem]"), function (li) {
      var folder = li.parentElement.closest("li[aria-expanded]");
      while (folder) {
        if (folder.getAttribute("aria-expanded") === "false") return false;
        folder = folder.parentElement.closest("li[aria-expanded]");
      }
      return true;
    });
  };

  Tree.prototype.focus = function (li) {
    this.root.querySelectorAll("li[role=treeitem]").forEach(function (item) { item.tabIndex = -1; });
    li.tabIndex = 0;
    li.focus();
  };

  Tree.prototype.select = function (path) {
    var chosen = null;
    this.root.querySelectorAll("li.tree-file").forEach(function (li) {
      var on = li.dataset.path === path;
      li.setAttribute("aria-selected", on ? "true" : "false");
      if (on) chosen = li;
    });
    if (chosen) {
      // The chosen file is the tree's way in, and its folders are open.
      this.root.querySelectorAll("li[role=treeitem]").forEach(function (item) { item.tabIndex = -1; });
      chosen.tabIndex = 0;
      var folder = chosen.parentElement.closest("li[aria-expanded]");
      while (folder) {
        folder.setAttribute("aria-expanded", "true");
        folder = folder.parentElement.closest("li[aria-expanded]");
      }
    }
  };

  Tree.prototype.activate = function (li) {
    if (li.hasAttribute("aria-expanded")) {
      li.setAttribute("aria-expanded", li.getAttribute("aria-expanded") === "true" ? "false" : "true");
    } else {
      this.onOpen(li.dataset.path);
    }
  };

  Tree.prototype.key = function (event) {
    var li = event.target.closest("li[role=treeitem]");
    if (!li) return;
    var items = this.items();
    var at = items.indexOf(li);
    var folder = li.hasAttribute("aria-expanded");
    var open = li.getAttribute("aria-expanded") === "true";
    var parent = li.parentElement.closest("li[role=treeitem]");
    var target = null;
    switch (event.key) {
      case "ArrowDown": target = items[at + 1]; break;
      case "ArrowUp": target = items[at - 1]; break;
      case "Home": target = items[0]; break;
      case "End": target = items[items.length - 1]; break;
      case "ArrowRight":
        if (folder && !open) li.setAttribute("aria-expanded", "true");
        else if (folder) target = li.querySelector("li[role=treeitem]");
        break;
      case "ArrowLeft":
        if (folder && open) li.setAttribute("aria-expanded", "false");
        else target = parent;
        break;
      case "Enter":
      case " ":
        this.activate(li);
        break;
      case "F2":
      case "Delete":
        // As in a desktop's file manager: F2 renames the file, Delete deletes it.
        if (!li.hasAttribute("data-removable") || !this.onRename) return;
        (event.key === "F2" ? this.onRename : this.onDelete)(li.dataset.path);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target) this.focus(target);
  };

  // --- Drafts: saved on the server as the learner types ---------------------------------

  function Drafts(form, workspace) {
    this.url = form.dataset.draftUrl;
    this.form = form;
    this.workspace = workspace;
    this.status = document.getElementById("draft-status");
    this.timer = null;
    this.dirty = false;
    this.saving = null;
    this.paused = false;
  }

  Drafts.prototype.changed = function () {
    if (!this.url || this.paused) return;
    if (!this.dirty) this.say("Unsaved changes…", ""); // said once, not at every key
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.save.bind(this), DRAFT_DELAY);
  };

  Drafts.prototype.say = function (text, kind) {
    if (this.status.textContent !== text) this.status.textContent = text;
    this.status.className = "ws-draft" + (kind ? " ws-draft-" + kind : "");
  };

  // Save now if anything changed. One save at a time, in order: a change made while one
  // is on its way is saved when it is back, so an older text never lands after a newer.
  // Resolves when the server has the latest (or said why not).
  Drafts.prototype.save = function (options) {
    var self = this;
    clearTimeout(this.timer);
    if (!this.url) return Promise.resolve();
    if (this.saving) {
      return this.saving.then(function () { return self.dirty ? self.save(options) : undefined; });
    }
    if (!this.dirty) return Promise.resolve();
    this.dirty = false;
    this.say("Saving draft…", "");
    var body = JSON.stringify({ files: this.workspace.texts() });
    var keepalive = !!(options && options.keepalive) && new Blob([body]).size < 60000; // the browser's cap
    this.saving = fetch(this.url, {
      method: "POST",
      body: body,
      keepalive: keepalive,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": Duet.csrfToken(self.form) },
      credentials: "same-origin",
    })
      .then(Duet.reply)
      .then(function (reply) {
        if (reply.ok && reply.data.saved_at) {
          var at = new Date(reply.data.saved_at);
          if (!self.dirty) self.say("Draft saved " + at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }), "saved");
        } else {
          // Refused, or not the answer expected (logged out: the login page came back).
          self.dirty = true;
          self.say(Duet.refusal(reply.status, reply.data), "failed");
        }
      })
      .catch(function () {
        self.dirty = true;
        self.say("Draft not saved: the server could not be reached. Retrying…", "failed");
        self.timer = setTimeout(self.save.bind(self), 5000);
      })
      .then(function () { self.saving = null; });
    return this.saving;
  };

  // The draft is about to become an attempt: nothing pending must overwrite it later.
  Drafts.prototype.cancel = function () {
    clearTimeout(this.timer);
    this.dirty = false;
  };

  // --- Reset to starter ------------------------------------------------------------------

  function setUpReset(form, workspace, drafts) {
    var link = document.getElementById("reset-button");
    var dialog = document.getElementById("reset-dialog");
    if (!link || !dialog || typeof dialog.showModal !== "function") return; // the link's page asks
    link.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.showModal();
    });
    dialog.querySelector("[data-reset-cancel]").addEventListener("click", function () { dialog.close(); });
    dialog.querySelector("[data-reset-confirm]").addEventListener("click", function () {
      dialog.close();
      var error = document.getElementById("submit-error");
      var unsaved = drafts.dirty;
      var data = new FormData();
      data.append("confirmed", "1");
      // A save on its way lands first; nothing typed before the reset lands after it.
      (drafts.saving || Promise.resolve())
        .then(function () {
          drafts.cancel();
          return fetch(form.dataset.resetUrl, {
            method: "POST",
            body: data,
            headers: { Accept: "application/json", "X-CSRFToken": Duet.csrfToken(form) },
            credentials: "same-origin",
          });
        })
        .then(Duet.reply)
        .then(function (reply) {
          if (!reply.ok || !reply.data.files) {
            error.textContent = Duet.refusal(reply.status, reply.data) + " Nothing was reset.";
            if (unsaved) drafts.changed();
            return;
          }
          drafts.paused = true;
          workspace.replace(reply.data.files);
          drafts.paused = false;
          drafts.say("Reset to the starter; draft saved", "saved");
          document.getElementById("ws-source").textContent = "The starter files: edit them, then submit.";
        })
        .catch(function () {
          error.textContent = "The server could not be reached; nothing was reset.";
          if (unsaved) drafts.changed();
        });
    });
  }

  // --- New file, Rename, Delete: the dialogs ---------------------------------------------

  // The buttons (above the tree: New file; in the editor's bar, for a file the learner may
  // remove: Rename, Delete) and the tree's F2 and Delete keys open the dialogs. Each name
  // is checked as the server will, and what is wrong said in the dialog.
  function setUpFiles(workspace) {
    var dialog = document.getElementById("file-dialog");
    var removeDialog = document.getElementById("delete-dialog");
    if (!workspace.rules || !dialog || !removeDialog || typeof dialog.showModal !== "function") return;
    var input = document.getElementById("file-dialog-path");
    var error = document.getElementById("file-dialog-error");
    var title = document.getElementById("file-dialog-title");
    var confirm = document.getElementById("file-dialog-confirm");
    var renaming = null; // the path being renamed; null for a new file
    var removing = null;
    var opener = null; // what had the keys before the dialog: they go back there

    function say(problem) {
      error.textContent = problem || "";
      if (problem) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }

    function ask(from) {
      renaming = from;
      opener = document.activeElement;
      title.textContent = from ? "Rename " + from : "New file";
      confirm.textContent = from ? "Rename" : "Create";
      input.value = from || workspace.newFileFolder();
      say(null);
      dialog.showModal();
      input.focus();
      if (from) {
        // The name is chosen, not its folder or its extension: what a rename mostly changes.
        var start = from.lastIndexOf("/") + 1;
        var dot = from.lastIndexOf(".");
        input.setSelectionRange(start, dot > start ? dot : from.length);
      } else {
        input.setSelectionRange(input.value.length, input.value.length);
      }
    }

    function askDelete(path) {
      removing = path;
      document.getElementById("delete-path").textContent = path;
      removeDialog.showModal();
    }

    document.getElementById("new-file-button").addEventListener("click", function () { ask(null); });
    document.getElementById("rename-button").addEventListener("click", function () {
      if (workspace.current) ask(workspace.current);
    });
    document.getElementById("delete-button").addEventListener("click", function () {
      if (workspace.current) askDelete(workspace.current);
    });
    workspace.tree.onRename = ask;
    workspace.tree.onDelete = askDelete;

    // Enter (or Create) submits the dialog's form: the name is checked before it closes.
    dialog.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      var path = input.value.trim();
      if (renaming && path === renaming) {
        dialog.close(); // the same name: nothing to do
        return;
      }
      var problem = workspace.nameProblem(path, renaming);
      if (problem) {
        say(problem);
        input.focus();
        return;
      }
      dialog.close();
      if (!renaming) {
        workspace.create(path); // and the editor has the keys, to type the new file
      } else {
        // Renamed from the tree (F2), the keys stay in the tree, on the file; else they go
        // back to the Rename button. (Asked before the tree is built again without it.)
        var fromTree = !!(opener && opener.closest && opener.closest(".ws-tree"));
        workspace.rename(renaming, path);
        if (fromTree) workspace.tree.focusPath(path);
        else if (opener && opener.isConnected) opener.focus();
      }
    });
    // Once something was wrong, the message follows what is typed (and goes when it is right).
    input.addEventListener("input", function () {
      if (error.textContent) say(workspace.nameProblem(input.value.trim(), renaming));
    });
    dialog.querySelector("[data-file-cancel]").addEventListener("click", function () { dialog.close(); });

    removeDialog.querySelector("[data-delete-cancel]").addEventListener("click", function () { removeDialog.close(); });
    removeDialog.querySelector("[data-delete-confirm]").addEventListener("click", function () {
      removeDialog.close();
      if (removing && workspace.files[removing]) workspace.remove(removing);
      removing = null;
    });

    workspace.changing = true;
    document.querySelector(".ws-side-head").hidden = false;
    if (workspace.current) workspace.open(workspace.current, false); // shows Rename and Delete
  }

  // --- Hints, results, submitting --------------------------------------------------------

  function setUpHints() {
    document.querySelectorAll("[data-hints] details.hint").forEach(function (hint) {
      hint.addEventListener("toggle", function () {
        var next = hint.nextElementSibling;
        if (hint.open && next && next.classList.contains("hint")) next.hidden = false;
      });
    });
  }

  function showResult(data) {
    var result = document.getElementById("result");
    result.innerHTML = data.html;
    if (data.attempts_html !== undefined) {
      document.getElementById("attempts").innerHTML = data.attempts_html;
    }
    return data.final;
  }

  function setUpSubmit(form, drafts) {
    var button = document.getElementById("submit-button");
    var error = document.getElementById("submit-error");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (button.disabled) return;
      error.textContent = "";
      button.disabled = true;
      var pending = drafts ? drafts.saving || Promise.resolve() : Promise.resolve();
      if (drafts) drafts.cancel();
      pending
        .then(function () {
          return fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            headers: { Accept: "application/json", "X-CSRFToken": Duet.csrfToken(form) },
            credentials: "same-origin",
          });
        })
        .then(Duet.reply)
        .then(function (reply) {
          if (!reply.ok || !reply.data.status_url) {
            // The server's own words (a file too large, too many waiting…); the code stays.
            error.textContent = Duet.refusal(reply.status, reply.data) + (reply.data.error ? "" : " Your code is still in the editor.");
            button.disabled = false;
            if (drafts) drafts.changed(); // keep what was typed as a draft
            return;
          }
          if (drafts) drafts.say("Submitted", "saved");
          document.getElementById("ws-source").textContent = "The editor holds what you submitted.";
          showResult({ html: '<div class="result status-queued" data-status="queued"><p class="verdict"><span class="status-badge">Queued</span> Waiting for a grader…</p></div>' });
          Duet.watch(reply.data.stream_url, reply.data.status_url, function (data) {
            if (!showResult(data)) return false;
            button.disabled = false;
            return true;
          });
        })
        .catch(function () {
          error.textContent = "The server could not be reached. Your code is still in the editor; try again.";
          button.disabled = false;
          if (drafts) drafts.changed();
        });
    });
    // Ctrl+Enter (Cmd+Enter on a Mac) submits from anywhere on the page.
    document.addEventListener("keydown", function (event) {
      if (document.querySelector("dialog[open]")) return; // the dialog's own keys
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !button.disabled) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
  }

  function setUpLeaving(drafts) {
    if (!drafts) return;
    // The zip, and the page an attempt opens in, are made from the saved draft: save
    // what was just typed first.
    document.addEventListener("click", function (event) {
      var link = event.target.closest("#download-button, a.reopen");
      if (!link || (!drafts.dirty && !drafts.saving)) return;
      event.preventDefault();
      drafts.save().then(function () { window.location.href = link.href; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("submit-form");
    if (form) {
      var drafts = null;
      if (window.ace && document.getElementById("ws-editor")) {
        var workspace = new Workspace(form);
        drafts = new Drafts(form, workspace);
        workspace.onChange = function () { drafts.changed(); };
        workspace.start();
        if (workspace.editor) {
          workspace.editor.commands.addCommand({
            name: "submit",
            bindKey: { win: "Ctrl-Enter", mac: "Command-Enter" },
            exec: function () { form.requestSubmit(); },
          });
        }
        setUpReset(form, workspace, drafts);
        setUpFiles(workspace);
        if (form.dataset.source === "draft") drafts.say("Draft saved", "saved");
        window.addEventListener("pagehide", function () { drafts.save({ keepalive: true }); });
        document.addEventListener("visibilitychange", function () {
          if (document.visibilityState === "hidden") drafts.save({ keepalive: true });
        });
        window.duetWorkspace = workspace; // for the browser tests and the console
      }
      setUpSubmit(form, drafts);
      setUpLeaving(drafts);
    }
    setUpHints();
    // A submission page opened before its verdict keeps itself up to date.
    var result = document.getElementById("result");
    var pending = result && result.querySelector(".status-queued, .status-running");
    if (pending && pending.dataset.statusUrl) Duet.watch(pending.dataset.streamUrl, pending.dataset.statusUrl, showResult);
  });
})();
