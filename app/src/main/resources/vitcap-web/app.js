// The vitcap page: sends an image to POST /v1/captions and lays each word's attention over it.
'use strict';

const $ = (id) => document.getElementById(id);
const SUPPORTED = ['image/jpeg', 'image/png', 'image/gif', 'image/bmp'];

// The heat map's colours, from no attention to the most: R+G+B and alpha both rise along it, so a
// stronger weight always paints a brighter, more opaque pixel.
const RAMP = [[0, [30, 0, 80]], [0.33, [220, 30, 60]], [0.66, [255, 160, 0]], [1, [255, 230, 60]]];
const ALPHA_MIN = 0.05, ALPHA_MAX = 0.6;

let current = null;   // {response, words}: the caption on show
let pinned = -1;      // the word a tap or click fixed, or -1

function colour(v) {
  for (let i = 1; i < RAMP.length; i++) {
    const [t1, c1] = RAMP[i], [t0, c0] = RAMP[i - 1];
    if (v <= t1) {
      const f = (v - t0) / (t1 - t0);
      return c0.map((c, k) => Math.round(c + f * (c1[k] - c)));
    }
  }
  return RAMP[RAMP.length - 1][1];
}

function drawLegendBar() {
  const bar = $('legend-bar'), g = bar.getContext('2d');
  for (let x = 0; x < bar.width; x++) {
    const v = x / (bar.width - 1), [r, gr, b] = colour(v);
    g.fillStyle = `rgba(${r},${gr},${b},${ALPHA_MIN + v * (ALPHA_MAX - ALPHA_MIN)})`;
    g.fillRect(x, 0, 1, bar.height);
  }
}

// Word `index`'s attention over the patch grid, scaled from its least to its most attended patch and
// interpolated bilinearly between patch centres, painted on the overlay canvas.
function showAttention(index) {
  const overlay = $('overlay'), g = overlay.getContext('2d');
  g.clearRect(0, 0, overlay.width, overlay.height);
  document.querySelectorAll('#caption button').forEach((b, i) => b.classList.toggle('active', i === index));
  if (!current || index < 0 || !current.response.attention) {
    $('legend-word').textContent = '';
    return;
  }
  const weights = current.response.attention[index], {rows, cols} = current.response.grid;
  let lo = Infinity, hi = -Infinity;
  for (const w of weights) { lo = Math.min(lo, w); hi = Math.max(hi, w); }
  const span = hi - lo > 1e-12 ? hi - lo : 1;
  const W = overlay.width, H = overlay.height, img = g.createImageData(W, H);
  for (let y = 0; y < H; y++) {
    const gy = Math.min(Math.max((y + 0.5) * rows / H - 0.5, 0), rows - 1), r0 = Math.floor(gy), r1 = Math.min(r0 + 1, rows - 1), fy = gy - r0;
    for (let x = 0; x < W; x++) {
      const gx = Math.min(Math.max((x + 0.5) * cols / W - 0.5, 0), cols - 1), c0 = Math.floor(gx), c1 = Math.min(c0 + 1, cols - 1), fx = gx - c0;
      const w = (1 - fy) * ((1 - fx) * weights[r0 * cols + c0] + fx * weights[r0 * cols + c1])
              + fy * ((1 - fx) * weights[r1 * cols + c0] + fx * weights[r1 * cols + c1]);
      const v = (w - lo) / span, [r, gr, b] = colour(v), p = 4 * (y * W + x);
      img.data[p] = r; img.data[p + 1] = gr; img.data[p + 2] = b;
      img.data[p + 3] = Math.round(255 * (ALPHA_MIN + v * (ALPHA_MAX - ALPHA_MIN)));
    }
  }
  g.putImageData(img, 0, 0);
  $('legend-min').textContent = lo.toFixed(3);
  $('legend-max').textContent = hi.toFixed(3);
  $('legend-word').textContent = `attention while writing “${current.words[index]}”, over ${rows}×${cols} patches`;
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

// The centre square of the image, which is what the model reads.
async function drawImage(blob) {
  const bitmap = await createImageBitmap(blob);
  const canvas = $('image'), g = canvas.getContext('2d'), side = Math.min(bitmap.width, bitmap.height);
  // A small image is shown with its pixels as they are, which is what the model reads; a large one smoothly.
  g.imageSmoothingEnabled = side * 2 >= canvas.width;
  g.imageSmoothingQuality = 'high';
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, canvas.width, canvas.height);
  bitmap.close();
}

function showCaption(response, roundTripMs) {
  current = {response, words: response.words};
  pinned = -1;
  const caption = $('caption');
  caption.replaceChildren(...response.words.map((word, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = word;
    b.addEventListener('mouseenter', () => showAttention(i));
    b.addEventListener('focus', () => showAttention(i));
    b.addEventListener('mouseleave', () => showAttention(pinned));
    b.addEventListener('click', () => { pinned = pinned === i ? -1 : i; showAttention(pinned); });
    return b;
  }));
  $('hint').hidden = !response.attention;
  $('legend').hidden = !response.attention;
  $('alternatives').replaceChildren(...response.alternatives.map((a) => {
    const li = document.createElement('li'), score = document.createElement('span');
    li.textContent = a.caption;
    score.className = 'score';
    score.textContent = `score ${a.score.toFixed(3)}`;
    li.append(score);
    return li;
  }));
  $('timing').textContent = `${response.elapsed_ms.toFixed(1)} ms on the server (${response.backend}), ${roundTripMs.toFixed(0)} ms in all`;
  showAttention(-1);
}

async function caption(blob) {
  showError('');
  if (!SUPPORTED.includes(blob.type)) {
    showError(`This page sends JPEG, PNG, GIF or BMP images; this file is ${blob.type || 'of an unknown type'}.`);
    return;
  }
  $('busy').hidden = false;
  $('placeholder').hidden = true;
  $('caption').replaceChildren();
  $('alternatives').replaceChildren();
  $('timing').textContent = '';
  $('hint').hidden = true;
  const beam = Number($('beam').value);
  const query = `attention=true&beam=${beam}&alternatives=${Math.min(3, beam - 1)}`;
  const started = performance.now();
  try {
    const reply = await fetch(`/v1/captions?${query}`, {method: 'POST', headers: {'Content-Type': blob.type}, body: blob});
    const body = await reply.json().catch(() => ({error: `the server answered ${reply.status} without a readable message`}));
    if (!reply.ok) {
      current = null;
      $('view').hidden = true;
      $('legend').hidden = true;
      showError(`Could not caption this image: ${body.error}`);
      return;
    }
    await drawImage(blob);
    $('view').hidden = false;
    showCaption(body, performance.now() - started);
  } catch (e) {
    showError(`Could not reach the server: ${e.message}`);
  } finally {
    $('busy').hidden = true;
  }
}

async function loadSamples() {
  const samples = await (await fetch('/v1/samples')).json();
  $('samples-box').hidden = samples.length === 0;
  $('samples').replaceChildren(...samples.map((s) => {
    const b = document.createElement('button'), img = document.createElement('img');
    b.type = 'button';
    b.title = s.name;
    img.src = s.url;
    img.alt = `sample ${s.name}`;
    b.append(img);
    b.addEventListener('click', async () => caption(await (await fetch(s.url)).blob()));
    return b;
  }));
}

async function loadModel() {
  const [health, model] = await Promise.all([fetch('/v1/health').then((r) => r.json()), fetch('/v1/model').then((r) => r.json())]);
  $('status').textContent = `model ${health.model} · backend ${health.backend}`;
  const vit = model.config.encoder, p = model.parameters;
  $('model-facts').textContent = `${(p.total / 1e6).toFixed(2)} M parameters (encoder ${(p.encoder / 1e6).toFixed(2)} M, decoder ${(p.decoder / 1e6).toFixed(2)} M); `
      + `${model.image_size}×${model.image_size} images in ${model.grid.rows}×${model.grid.cols} patches.`;
  const beam = String(model.decoding.beam);
  if (![...$('beam').options].some((o) => o.value === beam)) $('beam').add(new Option(`beam search, ${beam} wide`, beam));
  $('beam').value = beam;
}

function wireInputs() {
  const drop = $('drop');
  $('file').addEventListener('change', (e) => { if (e.target.files[0]) caption(e.target.files[0]); });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) caption(e.dataTransfer.files[0]);
  });
  document.addEventListener('paste', (e) => {
    const file = [...e.clipboardData.files].find((f) => f.type.startsWith('image/'));
    if (file) caption(file);
  });
  $('caption').addEventListener('mouseleave', () => showAttention(pinned));
}

drawLegendBar();
wireInputs();
Promise.all([loadModel(), loadSamples()]).catch((e) => showError(`Could not reach the server: ${e.message}`));
