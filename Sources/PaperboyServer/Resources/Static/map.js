// The map of the field (/map): a canvas showing the server's 256-pixel tiles for the zoom it
// is at, topic labels, a search's hits, and the paper under the pointer. The browser never
// holds the papers themselves, so a million of them pan and zoom like a thousand.
(() => {
  "use strict";
  const root = document.querySelector("[data-map]");
  if (!root) return;
  const canvas = root.querySelector("canvas");
  const context = canvas.getContext("2d");
  const tooltip = root.querySelector(".map-tooltip");
  const status = document.querySelector("[data-map-status]");

  // The view: the map point at the canvas's centre, and how many CSS pixels a map unit spans
  // relative to the canvas's shorter side (1 shows the whole map).
  const view = { x: 0.5, y: 0.5, zoom: 1 };
  const maxZoom = 1 << 12;
  let info = null;         // GET /api/v1/map
  let hits = [];           // a search's hits, with their places
  let hover = null;        // the paper under the pointer
  let framePending = false;
  const tiles = new Map(); // "z/x/y" -> Image, oldest first
  const state = { tilesDrawn: 0, labelsDrawn: 0 };

  const width = () => canvas.clientWidth;
  const height = () => canvas.clientHeight;
  const scale = () => Math.min(width(), height()) * view.zoom;
  const toScreen = (x, y) => [(x - view.x) * scale() + width() / 2, (y - view.y) * scale() + height() / 2];
  const toMap = (px, py) => [(px - width() / 2) / scale() + view.x, (py - height() / 2) / scale() + view.y];

  function redraw() {
    if (framePending) return;
    framePending = true;
    requestAnimationFrame(() => { framePending = false; draw(); });
  }

  function tile(z, x, y) {
    const key = `${z}/${x}/${y}`;
    let image = tiles.get(key);
    if (!image) {
      image = new Image();
      image.onload = redraw;
      image.src = `/map/tiles/${info.version}/${key}`;
      tiles.set(key, image);
      // Keep the newest 600 tiles; the browser's cache keeps the rest.
      if (tiles.size > 600) tiles.delete(tiles.keys().next().value);
    }
    return image;
  }

  const ready = (image) => image && image.complete && image.naturalWidth > 0;

  // Draws tile z/x/y, or the part of the nearest loaded coarser tile that covers it.
  function drawTile(z, x, y, left, top, size) {
    const image = tile(z, x, y);
    if (ready(image)) { context.drawImage(image, left, top, size, size); state.tilesDrawn++; return; }
    for (let up = 1; up <= z; up++) {
      const parent = tiles.get(`${z - up}/${x >> up}/${y >> up}`);
      if (!ready(parent)) continue;
      const part = info.tile_size >> up;
      const sx = (x - ((x >> up) << up)) * part, sy = (y - ((y >> up) << up)) * part;
      context.drawImage(parent, sx, sy, part, part, left, top, size, size);
      return;
    }
  }

  function draw() {
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width() * ratio) || canvas.height !== Math.round(height() * ratio)) {
      canvas.width = Math.round(width() * ratio);
      canvas.height = Math.round(height() * ratio);
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width(), height());
    if (!info) return;
    state.tilesDrawn = 0;
    // The tile zoom whose pixels are closest to the screen's.
    const z = Math.max(0, Math.min(info.deepest_zoom, Math.round(Math.log2(scale() * ratio / info.tile_size))));
    const count = 1 << z, span = 1 / count, size = scale() * span;
    const [left, top] = toMap(0, 0), [right, bottom] = toMap(width(), height());
    for (let ty = Math.max(0, Math.floor(top / span)); ty <= Math.min(count - 1, Math.floor(bottom / span)); ty++) {
      for (let tx = Math.max(0, Math.floor(left / span)); tx <= Math.min(count - 1, Math.floor(right / span)); tx++) {
        const [px, py] = toScreen(tx * span, ty * span);
        drawTile(z, tx, ty, px, py, size);
      }
    }
    const styles = getComputedStyle(document.documentElement);
    const foreground = styles.getPropertyValue("--fg").trim() || "#1b1b1f";
    const background = styles.getPropertyValue("--card").trim() || "#fff";
    const accent = styles.getPropertyValue("--accent").trim() || "#1f5fbf";
    drawHits(accent, background);
    drawLabels(foreground, background);
    if (hover) {
      const [px, py] = toScreen(hover.x, hover.y);
      context.lineWidth = 2;
      context.strokeStyle = foreground;
      context.beginPath();
      context.arc(px, py, 7, 0, 2 * Math.PI);
      context.stroke();
    }
  }

  function drawHits(accent, background) {
    for (const hit of hits) {
      const [px, py] = toScreen(hit.x, hit.y);
      context.beginPath();
      context.arc(px, py, 5, 0, 2 * Math.PI);
      context.fillStyle = accent;
      context.fill();
      context.lineWidth = 1.5;
      context.strokeStyle = background;
      context.stroke();
    }
  }

  // Largest topics first; a label that would overlap one already drawn waits for more zoom.
  function drawLabels(foreground, background) {
    context.font = "600 13px system-ui, sans-serif";
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.lineJoin = "round";
    const placed = [];
    state.labelsDrawn = 0;
    for (const topic of info.topics) {
      const [px, py] = toScreen(topic.x, topic.y);
      const w = context.measureText(topic.label).width + 8, h = 18;
      const box = { left: px - w / 2, top: py - h / 2, right: px + w / 2, bottom: py + h / 2 };
      if (box.right < 0 || box.left > width() || box.bottom < 0 || box.top > height()) continue;
      if (placed.some((b) => box.left < b.right && b.left < box.right && box.top < b.bottom && b.top < box.bottom)) continue;
      placed.push(box);
      context.lineWidth = 4;
      context.strokeStyle = background;
      context.strokeText(topic.label, px, py);
      context.fillStyle = foreground;
      context.fillText(topic.label, px, py);
      state.labelsDrawn++;
    }
  }

  function zoomAt(factor, px, py) {
    const [mx, my] = toMap(px, py);
    view.zoom = Math.max(1, Math.min(maxZoom, view.zoom * factor));
    // Keep the map point under (px, py) where it was.
    view.x = mx - (px - width() / 2) / scale();
    view.y = my - (py - height() / 2) / scale();
    redraw();
  }

  function flyTo(x, y, zoom) {
    view.x = x; view.y = y; view.zoom = zoom;
    redraw();
  }

  // Pointer: drag to pan, click a paper to open it, hover for its title.
  let drag = null;
  canvas.addEventListener("pointerdown", (event) => {
    drag = { x: event.clientX, y: event.clientY, viewX: view.x, viewY: view.y, moved: false };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (drag) {
      const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) { drag.moved = true; canvas.classList.add("is-dragging"); }
      view.x = drag.viewX - dx / scale();
      view.y = drag.viewY - dy / scale();
      redraw();
      return;
    }
    lookUnder(event.offsetX, event.offsetY);
  });
  canvas.addEventListener("pointerup", (event) => {
    const clicked = drag && !drag.moved;
    drag = null;
    canvas.classList.remove("is-dragging");
    if (clicked) openUnder(event.offsetX, event.offsetY);
  });
  canvas.addEventListener("pointerleave", () => { hover = null; tooltip.hidden = true; redraw(); });
  canvas.addEventListener("wheel", (event) => {
    event.preventDefault();
    zoomAt(Math.exp(-event.deltaY * 0.002), event.offsetX, event.offsetY);
  }, { passive: false });
  canvas.addEventListener("dblclick", (event) => zoomAt(2, event.offsetX, event.offsetY));
  canvas.addEventListener("keydown", (event) => {
    const step = 80 / scale();
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) { view.x += moves[event.key][0]; view.y += moves[event.key][1]; redraw(); }
    else if (event.key === "+" || event.key === "=") zoomAt(1.5, width() / 2, height() / 2);
    else if (event.key === "-") zoomAt(1 / 1.5, width() / 2, height() / 2);
    else return;
    event.preventDefault();
  });
  for (const button of root.querySelectorAll("[data-map-zoom]")) {
    button.addEventListener("click", () => {
      const how = button.dataset.mapZoom;
      if (how === "reset") flyTo(0.5, 0.5, 1);
      else zoomAt(how === "in" ? 2 : 0.5, width() / 2, height() / 2);
    });
  }

  // The paper under the pointer, asked of the server (which holds the papers) at most one
  // question at a time: the latest position wins.
  let asking = null, pending = null;
  function lookUnder(px, py) {
    pending = [px, py];
    if (!asking) ask();
  }
  function ask() {
    const [px, py] = pending;
    pending = null;
    const [x, y] = toMap(px, py);
    const radius = Math.min(0.1, 8 / scale());
    asking = fetch(`/api/v1/map/near?x=${x}&y=${y}&r=${radius}`)
      .then((response) => response.ok ? response.json() : { paper: null })
      .then((answer) => showHover(answer.paper, px, py))
      .catch(() => {})
      .finally(() => { asking = null; if (pending) ask(); });
  }
  function showHover(paper, px, py) {
    hover = paper;
    canvas.classList.toggle("is-over-paper", !!paper);
    if (paper) {
      tooltip.textContent = paper.title || paper.id;
      tooltip.hidden = false;
      tooltip.style.left = `${Math.min(px + 12, width() - 200)}px`;
      tooltip.style.top = `${py + 14}px`;
    } else {
      tooltip.hidden = true;
    }
    redraw();
  }
  async function openUnder(px, py) {
    const [x, y] = toMap(px, py);
    const response = await fetch(`/api/v1/map/near?x=${x}&y=${y}&r=${Math.min(0.1, 8 / scale())}`);
    const answer = response.ok ? await response.json() : { paper: null };
    if (answer.paper) window.location.assign(`/papers/${encodeURI(answer.paper.id)}`);
  }

  // A search's hits, shown as dots; the view moves to take them in.
  const form = document.querySelector("[data-map-search]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = form.elements.q.value.trim();
    if (!query) return;
    status.textContent = "Searching…";
    const response = await fetch(`/api/v1/map/search?q=${encodeURIComponent(query)}`);
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      status.textContent = problem.error || "The search failed.";
      return;
    }
    const answer = await response.json();
    hits = answer.hits;
    const off = answer.off_map ? ` (${answer.off_map} more are newer than the map)` : "";
    status.textContent = hits.length ? `${hits.length} papers found for “${query}” on the map${off}.` : `Nothing found for “${query}”${off}.`;
    if (hits.length) {
      const xs = hits.map((h) => h.x), ys = hits.map((h) => h.y);
      const spanX = Math.max(...xs) - Math.min(...xs), spanY = Math.max(...ys) - Math.min(...ys);
      const zoom = Math.max(1, Math.min(maxZoom, 0.8 / Math.max(spanX, spanY, 0.01)));
      flyTo((Math.max(...xs) + Math.min(...xs)) / 2, (Math.max(...ys) + Math.min(...ys)) / 2, zoom);
    }
    redraw();
  });
  document.querySelector("[data-map-clear]").addEventListener("click", () => {
    hits = [];
    status.textContent = "";
    form.elements.q.value = "";
    redraw();
  });
  for (const swatch of document.querySelectorAll(".swatch[data-color]")) swatch.style.background = swatch.dataset.color;
  for (const button of document.querySelectorAll(".map-topic")) {
    button.addEventListener("click", () => {
      flyTo(Number(button.dataset.x), Number(button.dataset.y), 6);
      canvas.focus();
    });
  }

  window.addEventListener("resize", redraw);
  // For the browser test: the view and what the last frame drew.
  window.paperMap = { view, state, toScreen, toMap, hits: () => hits, hover: () => hover };
  fetch("/api/v1/map").then((response) => response.json()).then((answer) => { info = answer; redraw(); });
})();
