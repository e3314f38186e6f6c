// The browser side of attention_lib.widgets.FigureCanvas (an anywidget ES module).
//
// The kernel sends two things:
//   background  PNG bytes of the figure's static parts (axes, tick labels, colour bars,
//               titles), sent again only when the layout changes;
//   frame       {rects: [[x, y, w, h, "#rrggbb"], ...],
//                texts: [[x, baseline, "text", size_px, "left|center|right", "#rrggbb"], ...]}
//               the heatmap cells and the numbers on them, in canvas pixels, sent on every
//               update.
// A new frame is drawn at once (no picture to load and decode): the background, decoded
// once into an ImageBitmap, then the cells and the texts. After each draw the canvas's
// data-drawn attribute counts the draws (the browser tests and the latency benchmark
// watch it).

// Chinese (the Chinese edition's labels) falls back to the CJK font matplotlib uses
// (attention_lib.fonts.CJK_FONTS), so the canvas and the still picture above it agree.
const FONT = '"DejaVu Sans", "Bitstream Vera Sans", "Liberation Sans", Arial, ' +
  '"Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "Microsoft YaHei", ' +
  '"PingFang SC", sans-serif';

function render({ model, el }) {
  const canvas = document.createElement("canvas");
  canvas.className = "attention-figure";
  canvas.setAttribute("role", "img");
  canvas.dataset.drawn = "0";
  canvas.style.display = "block";
  canvas.style.maxWidth = "100%";
  canvas.style.height = "auto";
  el.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  let bitmap = null;
  let pending = 0; // which background decode is the latest one

  function draw() {
    const w = model.get("width_px");
    const h = model.get("height_px");
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    canvas.style.width = model.get("css_width") || `${w}px`;
    canvas.setAttribute("aria-label", model.get("alt") || "figure");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, w, h);
    if (bitmap) ctx.drawImage(bitmap, 0, 0);
    const frame = model.get("frame") || {};
    for (const [x, y, rw, rh, colour] of frame.rects || []) {
      ctx.fillStyle = colour;
      ctx.fillRect(x, y, rw, rh);
    }
    ctx.textBaseline = "alphabetic";
    for (const [x, y, text, size, align, colour] of frame.texts || []) {
      ctx.font = `${size}px ${FONT}`;
      ctx.textAlign = align;
      ctx.fillStyle = colour;
      ctx.fillText(text, x, y);
    }
    canvas.dataset.drawn = String(Number(canvas.dataset.drawn) + 1);
  }

  async function loadBackground() {
    const ticket = ++pending;
    const bytes = model.get("background");
    let next = null;
    if (bytes && bytes.byteLength) {
      const blob = new Blob([bytes], { type: "image/png" });
      try {
        next = await createImageBitmap(blob);
      } catch (err) {
        console.error("attention_lib FigureCanvas: cannot decode the background", err);
      }
    }
    if (ticket !== pending) {
      if (next) next.close();
      return; // a newer background arrived while this one was decoding
    }
    if (bitmap) bitmap.close();
    bitmap = next;
    draw();
  }

  const onFrame = () => draw();
  const onBackground = () => { loadBackground(); };
  model.on("change:frame", onFrame);
  model.on("change:background", onBackground);
  model.on("change:width_px", onFrame);
  model.on("change:height_px", onFrame);
  loadBackground();
  return () => {
    model.off("change:frame", onFrame);
    model.off("change:background", onBackground);
    model.off("change:width_px", onFrame);
    model.off("change:height_px", onFrame);
    if (bitmap) bitmap.close();
  };
}

export default { render };
