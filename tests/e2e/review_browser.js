#!/usr/bin/env node
/* Drives the review editor in Debian's headless chromium over the DevTools
 * protocol (chrome-remote-interface, tests/browser/), as a person would:
 * real mouse clicks at the words' positions, a double-click and typing for a
 * correction, Ctrl+Z / Ctrl+Shift+Z, the Save and Render buttons. Used by
 * tests/e2e/test_review.sh, which checks the files the server wrote.
 *
 * Usage: review_browser.js CHROMIUM URL WORKDIR CUT_WORD FIX_WORD NEW_TEXT
 * Prints one JSON object (what the page showed at each step) on stdout;
 * screenshots go to WORKDIR/review-*.png. Exits 1 with a message on failure. */
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const CDP = require(path.join(__dirname, '..', 'browser', 'node_modules', 'chrome-remote-interface'));

const [chromium, url, work, cutWord, fixWord, newText] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const out = {};

async function waitFor(fn, what, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(100);
  }
}

async function main() {
  const profile = path.join(work, 'chromium-profile');
  const proc = spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu',
    '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--autoplay-policy=no-user-gesture-required', '--mute-audio',
    '--remote-debugging-port=0', '--user-data-dir=' + profile, '--window-size=1366,1100',
    'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const portFile = path.join(profile, 'DevToolsActivePort');
  let client;
  try {
    const port = await waitFor(() => fs.existsSync(portFile) &&
      +fs.readFileSync(portFile, 'utf8').split('\n')[0], 'chromium to start');
    const targets = await waitFor(async () => (await CDP.List({ port })).filter((t) => t.type === 'page'),
      'a page target');
    client = await CDP({ port, target: targets[0] });
    const { Page, Runtime, Input, Emulation } = client;
    await Page.enable();
    await Emulation.setDeviceMetricsOverride({ width: 1366, height: 1100, deviceScaleFactor: 1, mobile: false });
    const js = async (expr) => {
      const r = await Runtime.evaluate({ expression: expr, returnByValue: true, awaitPromise: true });
      if (r.exceptionDetails) throw new Error('page script failed: ' + expr + ': ' + JSON.stringify(r.exceptionDetails));
      return r.result.value;
    };
    const shot = async (name) => {
      const r = await Page.captureScreenshot({ format: 'png' });
      fs.writeFileSync(path.join(work, 'review-' + name + '.png'), Buffer.from(r.data, 'base64'));
    };
    /* The centre of the first element matching the page expression, scrolled into view. */
    const centre = async (expr) => {
      const p = await js(`(function(){var e=${expr};if(!e)return null;e.scrollIntoView({block:'center'});
        var r=e.getBoundingClientRect();return {x:r.left+r.width/2,y:r.top+r.height/2}})()`);
      if (!p) throw new Error('not on the page: ' + expr);
      return p;
    };
    const click = async (expr, count = 1) => {
      const p = await centre(expr);
      await Input.dispatchMouseEvent({ type: 'mouseMoved', x: p.x, y: p.y });
      for (let n = 1; n <= count; n++) {
        await Input.dispatchMouseEvent({ type: 'mousePressed', x: p.x, y: p.y, button: 'left', clickCount: n });
        await Input.dispatchMouseEvent({ type: 'mouseReleased', x: p.x, y: p.y, button: 'left', clickCount: n });
      }
    };
    const key = async (k, code, vk, modifiers = 0) => {
      await Input.dispatchKeyEvent({ type: 'rawKeyDown', key: k, code, windowsVirtualKeyCode: vk, modifiers });
      await Input.dispatchKeyEvent({ type: 'keyUp', key: k, code, windowsVirtualKeyCode: vk, modifiers });
    };
    const word = (text) => `[...document.querySelectorAll('#ed-words .ew')].find(function(s){return s.textContent===${JSON.stringify(text)}})`;
    const ready = () => js(`document.body&&document.body.dataset.editor==='ready'`);

    await Page.navigate({ url });
    await waitFor(ready, 'the editor');
    out.served_mode = await js(`!document.getElementById('ed-save').hidden`);
    out.video_duration = await waitFor(() => js(`(function(){var v=document.getElementById('ed-video');
      return v.readyState>=1&&isFinite(v.duration)?v.duration:0})()`), 'the video metadata');
    /* Seek into the middle: the server must answer the range request. */
    out.seeked = await js(`new Promise(function(ok){var v=document.getElementById('ed-video');
      v.addEventListener('seeked',function(){ok(v.currentTime)},{once:true});v.currentTime=5})`);
    out.kept_before = +(await js(`document.getElementById('ed-summary').dataset.kept`));
    await shot('loaded');

    /* 1. Click a kept word: it is cut. */
    out.cut_word_was_kept = await js(`${word(cutWord)}.classList.contains('kept')`);
    await click(word(cutWord));
    await waitFor(() => js(`${word(cutWord)}.classList.contains('cut')`), 'the clicked word to be cut', 3000);
    out.cut_word = await js(`(function(){var i=+${word(cutWord)}.dataset.i;return i})()`);

    /* 1b. Drag the end of that cut 40 px to the right: it snaps to a word
     * edge or a frame, the kept time shrinks; then undo the drag. */
    const cutEl = `document.querySelector('#ed-strip .cut.r-manual')`;
    const endBefore = +(await js(`${cutEl}.dataset.end`));
    const keptBeforeDrag = +(await js(`document.getElementById('ed-summary').dataset.kept`));
    const h = await js(`(function(){var hs=[...document.querySelectorAll('#ed-strip .h[data-edge=end]')];
      var c=${cutEl}.getBoundingClientRect();var h=hs.find(function(e){var r=e.getBoundingClientRect();
      return Math.abs(r.left+r.width/2-c.right)<3});if(!h)return null;h.scrollIntoView({block:'center'});
      var r=h.getBoundingClientRect();return {x:r.left+r.width/2,y:r.top+r.height/2}})()`);
    if (!h) throw new Error('no handle at the end of the manual cut');
    await Input.dispatchMouseEvent({ type: 'mouseMoved', x: h.x, y: h.y });
    await Input.dispatchMouseEvent({ type: 'mousePressed', x: h.x, y: h.y, button: 'left', clickCount: 1 });
    for (let dx = 10; dx <= 40; dx += 10)
      await Input.dispatchMouseEvent({ type: 'mouseMoved', x: h.x + dx, y: h.y, button: 'left', buttons: 1 });
    await Input.dispatchMouseEvent({ type: 'mouseReleased', x: h.x + 40, y: h.y, button: 'left', clickCount: 1 });
    out.drag_end_before = endBefore;
    out.drag_end_after = +(await js(`${cutEl}.dataset.end`));
    out.drag_kept_delta = keptBeforeDrag - +(await js(`document.getElementById('ed-summary').dataset.kept`));
    out.drag_snapped = await js(`(function(t){var D=JSON.parse(document.getElementById('edit-data').textContent);
      var fr=D.fps_num/D.fps_den;if(Math.abs(t*fr-Math.round(t*fr))<1e-4)return 'frame';
      return D.words.some(function(w){return Math.abs(w.start-t)<1e-6||Math.abs(w.end-t)<1e-6})?'word':'other'})(${out.drag_end_after})`);
    await key('z', 'KeyZ', 90, 2);
    out.drag_undone = await waitFor(() => js(`Math.abs(+${cutEl}.dataset.end-${endBefore})<1e-9`), 'undo of the drag', 3000);

    /* 2. Accept the suggested filler. */
    out.suggestions = await js(`document.querySelectorAll('#ed-suggestions li.sg').length`);
    if (out.suggestions > 0) {
      await click(`document.querySelector('#ed-suggestions li.sg button.acc')`);
      await waitFor(() => js(`document.querySelectorAll('#ed-suggestions li.sg').length===${out.suggestions - 1}`),
        'the suggestion to be accepted', 3000);
    }

    /* 3. Correct a word: double-click, type, Enter. */
    await click(word(fixWord), 2);
    await waitFor(() => js(`!!document.querySelector('#ed-words input')`), 'the correction field', 3000);
    await Input.insertText({ text: newText });
    await key('Enter', 'Enter', 13);
    await waitFor(() => js(`!!${word(newText)}`), 'the corrected word', 3000);

    /* 4. Undo takes the correction back, redo brings it again. */
    await js(`document.activeElement&&document.activeElement.blur()`);
    await key('z', 'KeyZ', 90, 2);
    out.undo_restored = await waitFor(() => js(`!!${word(fixWord)}`), 'undo', 3000);
    await key('z', 'KeyZ', 90, 2 | 8);
    out.redo_applied = await waitFor(() => js(`!!${word(newText)}`), 'redo', 3000);
    out.kept_after_edit = +(await js(`document.getElementById('ed-summary').dataset.kept`));
    await shot('edited');

    /* 5. Save. */
    await click(`document.getElementById('ed-save')`);
    out.save_status = await waitFor(() => js(`(function(){var s=document.getElementById('ed-status');
      return s.className?s.className+': '+s.textContent:''})()`), 'the save to finish');

    /* 6. Render: progress shows, then the page reloads on the new result. */
    await js(`window.__before_render=1`);
    await click(`document.getElementById('ed-render')`);
    out.render_progress_seen = await waitFor(() => js(`(function(){var s=document.getElementById('ed-status').textContent;
      return /Rendering|reloading/.test(s)?s:window.__before_render?'':'reloaded'})()`), 'render progress', 10000);
    await waitFor(async () => (await js(`window.__before_render===undefined`)) && (await ready()),
      'the page to reload after the render', 120000);
    out.kept_after_render = +(await js(`document.getElementById('ed-summary').dataset.kept`));
    out.fixed_word_after_render = await js(`!!${word(newText)}`);
    out.cut_word_after_render = await js(`${word(cutWord)}.classList.contains('cut')`);
    out.suggestions_after_render = await js(`document.querySelectorAll('#ed-suggestions li.sg').length`);
    out.waveform_after_render = await js(`!!document.querySelector('#ed-strip svg path')`);
    await shot('rendered');
    /* Scroll the editor into view for a picture of it alone. */
    await js(`document.getElementById('editor').scrollIntoView()`);
    await shot('editor');
  } finally {
    if (client) await client.close().catch(() => {});
    proc.kill('SIGTERM');
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stdout.write(JSON.stringify(out) + '\n');
  console.error('review_browser: ' + e.message);
  process.exit(1);
});
