/* The page around the sections: <head> with the inline style sheet, the
 * header with the file name and run facts, the section links, and at the
 * end the one inline script (copy buttons). Nothing is loaded from outside
 * the page except the thumbnails, by relative path (docs/REPORT.md).
 * The style sheet is written for a laptop first and folds to one column
 * under 640 px, so the page reads on a phone. */
#include <string.h>

#include "report/report.h"

static const char style[] =
    ":root{--ink:#1c2233;--muted:#5d6679;--bg:#f3f4f8;--card:#fff;--line:#e4e7ef;"
    "--accent:#4f46e5;--accent2:#7c3aed;--keep:#dde5f0;--silence:#6f9bd8;--filler:#f0962e;"
    "--stutter:#a66bd6;--manual:#e0524a;--other:#98a1b1;--trim:#21a896;--good:#15935b}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Noto Sans','DejaVu Sans',sans-serif;-webkit-text-size-adjust:100%}\n"
    ".wrap{max-width:1100px;margin:0 auto;padding:0 18px}\n"
    "header.hero{background:linear-gradient(130deg,#272466,#4f46e5 55%,#7c3aed);color:#fff;"
    "padding:26px 0 64px}\n"
    ".hero .kicker{text-transform:uppercase;letter-spacing:.12em;font-size:.75rem;opacity:.8}\n"
    ".hero h1{margin:4px 0 6px;font-size:2rem;line-height:1.2;word-break:break-word}\n"
    ".hero .facts{opacity:.85;font-size:.9rem}\n"
    ".hero .facts span+span:before{content:'\\00b7';margin:0 .5em;opacity:.7}\n"
    "nav.toc{display:flex;flex-wrap:wrap;gap:8px;margin-top:16px}\n"
    "nav.toc a{color:#fff;text-decoration:none;background:rgba(255,255,255,.14);"
    "border:1px solid rgba(255,255,255,.22);padding:4px 12px;border-radius:999px;"
    "font-size:.85rem;white-space:nowrap}\n"
    "nav.toc a:hover{background:rgba(255,255,255,.26)}\n"
    "main.wrap{margin-top:-44px}\n"
    "section.card{background:var(--card);border-radius:16px;padding:20px 22px;margin:0 0 18px;"
    "box-shadow:0 1px 2px rgba(20,24,40,.06),0 6px 20px rgba(20,24,40,.06)}\n"
    "h2{font-size:1.2rem;margin:0 0 4px}\n"
    "h3{font-size:1rem;margin:18px 0 8px}\n"
    ".lead{color:var(--muted);margin:0 0 14px;font-size:.92rem}\n"
    ".missing{color:var(--muted);background:var(--bg);border-radius:10px;padding:10px 14px;"
    "margin:8px 0;font-size:.92rem}\n"
    ".stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;"
    "margin:8px 0 16px}\n"
    ".stat{background:var(--bg);border-radius:12px;padding:12px 14px}\n"
    ".stat "
    ".v{font-size:1.55rem;font-weight:700;font-variant-numeric:tabular-nums;line-height:1.2}\n"
    ".stat .l{color:var(--muted);font-size:.82rem}\n"
    ".stat.accent{background:linear-gradient(135deg,#eef0ff,#f5efff)}\n"
    ".stat.accent .v{color:var(--accent)}\n"
    ".reasonbar{display:flex;height:14px;border-radius:7px;overflow:hidden;background:var(--keep);"
    "margin:6px 0 10px}\n"
    ".reasonbar span{display:block;height:100%}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:.85rem;color:var(--muted);"
    "margin:4px 0}\n"
    ".legend .sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;"
    "vertical-align:-1px}\n"
    ".legend b{color:var(--ink);font-weight:600}\n"
    ".r-keep{background:var(--keep)}.r-silence{background:var(--silence)}"
    ".r-filler{background:var(--filler)}.r-stutter{background:var(--stutter)}"
    ".r-manual{background:var(--manual)}.r-other{background:var(--other)}"
    ".r-trim{background:var(--trim)}\n"
    ".lplot svg{display:block;width:100%;height:auto;border-radius:10px;background:#fafbfd}\n"
    ".lplot path{fill:none;stroke-linejoin:round}.lplot .st{stroke:#3b4cca;stroke-width:2}\n"
    ".lplot .mom{stroke:#aab4f0;stroke-width:1}.lplot .grid{stroke:#e6e8f0;stroke-width:1}\n"
    ".lplot line.tgt{stroke:#e0533d;stroke-width:1.5;stroke-dasharray:8 5}\n"
    ".lplot line.nf{stroke:#6b7280;stroke-width:1.5;stroke-dasharray:2 4}\n"
    ".lplot text{font-size:13px;fill:#6b7280}.lplot text.tgt{fill:#e0533d}"
    ".lplot text.rt{font-weight:600;fill:#1f2430}\n"
    ".strip{position:relative;margin:30px 0 2px}\n"
    ".strip svg{display:block;width:100%;height:150px;border-radius:10px;background:#fafbfd}\n"
    ".strip .flag{position:absolute;top:-24px;transform:translateX(-50%);font-size:.72rem;"
    "background:var(--filler);color:#fff;border-radius:6px;padding:0 5px;white-space:nowrap}\n"
    ".strip .flag:after{content:'';position:absolute;left:50%;bottom:-4px;margin-left:-4px;"
    "border:4px solid transparent;border-bottom:0;border-top-color:var(--filler)}\n"
    ".axis{position:relative;height:20px;font-size:.75rem;color:var(--muted);"
    "font-variant-numeric:tabular-nums}\n"
    ".axis span{position:absolute;top:2px;transform:translateX(-50%);white-space:nowrap}\n"
    ".axis span.first{transform:none}.axis span.last{transform:translateX(-100%)}\n"
    "table{border-collapse:collapse;width:100%;font-size:.9rem;font-variant-numeric:tabular-nums}\n"
    "th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line)}\n"
    "th{color:var(--muted);font-weight:600;font-size:.8rem}\n"
    "#chapters td:first-child{width:5em;color:var(--muted);font-variant-numeric:tabular-nums}\n"
    ".tablewrap{overflow-x:auto}\n"
    "#highlight-list td{vertical-align:top}#highlight-list td:nth-child(-n+2){white-space:nowrap;"
    "color:var(--muted);font-variant-numeric:tabular-nums}.muted{color:var(--muted);"
    "font-size:.85rem}#highlight-list .chips{margin-top:4px}\n"
    ".pill{display:inline-block;border-radius:999px;padding:0 9px;font-size:.78rem;"
    "font-weight:600;color:#fff}\n"
    "details summary{cursor:pointer;color:var(--accent);margin:8px 0}\n"
    ".gauge{margin:6px 0 44px}\n"
    ".gauge .name{font-weight:600;font-size:.92rem;margin-bottom:34px}\n"
    ".gauge .name small{color:var(--muted);font-weight:400}\n"
    ".track{position:relative;height:12px;border-radius:6px;"
    "background:linear-gradient(90deg,#e9edf5,#d9def0 70%,#f6d5d0)}\n"
    ".track .m{position:absolute;top:50%;width:16px;height:16px;margin:-8px 0 0 -8px;"
    "border-radius:50%;border:3px solid #fff;box-shadow:0 1px 3px rgba(0,0,0,.3)}\n"
    ".track .m.before{background:#98a1b1}.track .m.after{background:var(--accent)}\n"
    ".track .lab{position:absolute;transform:translateX(-50%);font-size:.78rem;z-index:1;"
    "white-space:nowrap;font-variant-numeric:tabular-nums;background:#fff;padding:0 4px;"
    "border-radius:4px}\n"
    ".track .lab.before{bottom:18px;color:var(--muted)}\n"
    ".track .lab.after{top:18px;color:var(--accent);font-weight:700}\n"
    ".track .tgt{position:absolute;top:-26px;bottom:-8px;border-left:2px dashed var(--good)}\n"
    ".track .tgt i{position:absolute;top:-2px;left:4px;font-style:normal;font-size:.72rem;"
    "color:var(--good);white-space:nowrap;font-weight:600}\n"
    ".scale{position:relative;height:16px;margin-top:28px;font-size:.7rem;color:var(--muted)}\n"
    ".scale span{position:absolute;transform:translateX(-50%)}\n"
    ".transcript{max-height:640px;overflow-y:auto;border:1px solid var(--line);border-radius:12px;"
    "padding:4px 14px}\n"
    ".tline{display:grid;grid-template-columns:6.2em 1fr;gap:10px;padding:7px 0;"
    "border-bottom:1px dashed var(--line)}\n"
    ".tline:last-child{border-bottom:0}\n"
    ".ts{color:var(--muted);font-size:.82rem;font-variant-numeric:tabular-nums;padding-top:2px}\n"
    ".ts small{display:block;opacity:.8}\n"
    "del.w{color:#8c94a5;text-decoration-thickness:2px;border-radius:4px;padding:0 2px}\n"
    "del.w.r-silence,del.w.r-filler,del.w.r-stutter,del.w.r-manual,del.w.r-other,del.w.r-trim"
    "{background:none}\n"
    "del.r-filler{text-decoration-color:var(--filler);background:#fdf1e2!important}\n"
    "del.r-stutter{text-decoration-color:var(--stutter);background:#f4ecfb!important}\n"
    "del.r-silence,del.r-other{text-decoration-color:var(--silence);background:#e9f0fa!important}\n"
    "del.r-manual{text-decoration-color:var(--manual);background:#fbe9e8!important}\n"
    "del.r-trim{text-decoration-color:var(--trim);background:#e3f6f3!important}\n"
    ".w.flagged{border-bottom:2px dotted var(--filler)}\n"
    ".thumbs{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:14px;"
    "align-items:start}\n"
    ".thumbs figure{margin:0;background:var(--bg);border-radius:12px;overflow:hidden}\n"
    ".thumbs figure.best{grid-column:span 2}\n"
    ".thumbs img{display:block;width:100%;aspect-ratio:16/9;object-fit:cover;background:#dfe3ea}\n"
    ".thumbs figcaption{padding:8px 12px;font-size:.85rem;display:flex;flex-wrap:wrap;"
    "justify-content:space-between;gap:4px}\n"
    ".score{font-weight:700;color:var(--accent);font-variant-numeric:tabular-nums}\n"
    ".copyrow{display:flex;align-items:flex-start;gap:10px;padding:8px 0;"
    "border-bottom:1px solid var(--line)}\n"
    ".copyrow .t{flex:1;min-width:0}\n"
    ".copyrow .t small{display:block;color:var(--muted)}\n"
    "button.copy{flex:none;border:1px solid var(--line);background:#fff;color:var(--ink);"
    "border-radius:8px;padding:3px 10px;font:inherit;font-size:.8rem;cursor:pointer}\n"
    "button.copy:hover{border-color:var(--accent);color:var(--accent)}\n"
    "button.copy.done{background:#e5f7ee;border-color:var(--good);color:var(--good)}\n"
    ".hrow{display:flex;align-items:center;justify-content:space-between;gap:10px}\n"
    "pre.desc{white-space:pre-wrap;word-break:break-word;background:var(--bg);border-radius:10px;"
    "padding:12px 14px;font:inherit;font-size:.9rem;margin:0}\n"
    ".chips{display:flex;flex-wrap:wrap;gap:6px}\n"
    ".chip{background:#eef0ff;color:#3730a3;border-radius:999px;padding:2px "
    "10px;font-size:.85rem}\n"
    ".chip.long-tail{background:#f1f5f9;color:#334155}.chip.secondary{background:#f5efff;"
    "color:#5b21b6}\n"
    ".bars{display:grid;grid-template-columns:7.5em 1fr 5.5em;gap:6px 10px;align-items:center;"
    "font-size:.88rem}\n"
    ".bars .n{color:var(--ink);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}\n"
    ".bars .t{text-align:right;font-variant-numeric:tabular-nums;color:var(--muted)}\n"
    ".bars .bar{height:14px;border-radius:7px;background:linear-gradient(90deg,var(--accent),"
    "var(--accent2));min-width:2px}\n"
    ".bars .bar.cached{background:var(--good)}\n"
    ".bars .off{color:var(--muted);font-size:.8rem;font-style:italic}\n"
    ".steps{margin:0;padding-left:1.3em}.steps li{margin:8px 0}\n"
    "code,kbd{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.86em;"
    "background:var(--bg);border-radius:5px;padding:1px 5px;overflow-wrap:anywhere}\n"
    ".cmd{display:flex;align-items:center;gap:10px;background:#1c2233;color:#e8ebf5;"
    "border-radius:10px;padding:10px 14px;margin:10px 0;overflow-x:auto}\n"
    ".cmd code{background:none;color:inherit;flex:1;white-space:nowrap;overflow-wrap:normal}\n"
    ".cmd button.copy{background:#2c3450;color:#fff;border-color:#4a5475}\n"
    "footer{color:var(--muted);font-size:.8rem;text-align:center;padding:10px 0 30px}\n"
    "@media (max-width:640px){body{font-size:14.5px}.wrap{padding:0 12px}"
    "header.hero{padding:18px 0 58px}.hero h1{font-size:1.45rem}"
    "section.card{padding:16px 14px;border-radius:14px}"
    ".stats{grid-template-columns:1fr 1fr;gap:8px}.stat .v{font-size:1.25rem}"
    ".strip svg{height:110px}.tline{grid-template-columns:1fr;gap:0}"
    ".thumbs{grid-template-columns:1fr 1fr;gap:8px}.thumbs figure.best{grid-column:span 2}"
    ".thumbs figcaption{font-size:.78rem;padding:6px 8px}"
    ".bars{grid-template-columns:5.6em 1fr 4.4em;font-size:.82rem}"
    "#cuts th:first-child,#cuts td:first-child{display:none}table{font-size:.8rem}"
    "th,td{padding:6px 4px}}\n";

/* Copy buttons: data-text on the button, or the text of the element whose id
 * is in data-copy. The Clipboard API needs a secure context (file:// is one
 * in Chromium and Firefox); the textarea fallback covers the rest. */
static const char script[] =
    "document.addEventListener('click',function(e){"
    "var b=e.target.closest?e.target.closest('button.copy'):null;if(!b)return;"
    "var el=b.dataset.copy?document.getElementById(b.dataset.copy):null;"
    "var s=b.dataset.text!==undefined?b.dataset.text:(el?el.innerText:'');"
    "function ok(){var o=b.textContent;b.classList.add('done');b.textContent='Copied';"
    "setTimeout(function(){b.textContent=o;b.classList.remove('done')},1400)}"
    "function fb(){var a=document.createElement('textarea');a.value=s;document.body.appendChild(a);"
    "a.select();try{document.execCommand('copy');ok()}catch(x){}a.remove()}"
    "if(navigator.clipboard&&window.isSecureContext)navigator.clipboard.writeText(s).then(ok,fb);"
    "else fb()});\n";

void report_page_begin(dynbuf *b, const report_data *d)
{
    const ave_job *job = d->job;
    const char *finished = report_json_str(d->metrics, "finished_at");
    const char *version = report_json_str(d->metrics, "version");
    const char *base = strrchr(job->input_path, '/');
    base = base ? base + 1 : job->input_path;

    dynbuf_adds(
        b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "img-src 'self' data: file:; media-src 'self' file:; connect-src 'self'; "
           "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
           "<title>Edit report: ");
    rb_text(b, base);
    dynbuf_adds(b, "</title>\n<style>\n");
    dynbuf_adds(b, style);
    dynbuf_adds(
        b,
        "</style>\n</head>\n<body>\n<header class=\"hero\"><div class=\"wrap\">\n"
        "<div class=\"kicker\">AI Video Editor &middot; edit report</div>\n<h1 id=\"input-name\">");
    rb_text(b, base);
    dynbuf_adds(b, "</h1>\n<div class=\"facts\">");
    if (finished && strlen(finished) >= 16) {
        /* "2026-11-26T02:44:31Z" -> "2026-11-26 02:44 UTC" */
        dynbuf_printf(b, "<span>finished %.10s %.5s UTC</span>", finished, finished + 11);
    }
    const cJSON *conf = cJSON_GetObjectItemCaseSensitive(d->metrics, "configuration");
    const char *type = report_json_str(cJSON_GetObjectItemCaseSensitive(conf, "type"), "value");
    if (type) {
        dynbuf_adds(b, "<span>");
        rb_text(b, type);
        dynbuf_adds(b, " video</span>");
    }
    if (version) {
        dynbuf_adds(b, "<span>version ");
        rb_text(b, version);
        dynbuf_adds(b, "</span>");
    }
    dynbuf_adds(b, "</div>\n<nav class=\"toc\"><a href=\"#summary\">Summary</a><a href=\"#editor\">Edit</a>"
              "<a href=\"#timeline\">Timeline</a><a href=\"#loudness\">Loudness</a>"
              "<a href=\"#transcript\">Transcript</a><a href=\"#thumbnails\">Thumbnails</a>"
              "<a href=\"#metadata\">Titles &amp; tags</a>");
    if (job->analysis.highlight_count)
        dynbuf_adds(b, "<a href=\"#highlights\">Highlights</a>");
    dynbuf_adds(b, "<a href=\"#performance\">Performance</a>"
              "<a href=\"#fix\">Fix the edit</a></nav>\n</div></header>\n<main class=\"wrap\">\n");
}

void report_page_end(dynbuf *b)
{
    dynbuf_adds(b,
                "</main>\n<footer class=\"wrap\">Made offline by ai-video-editor. This page loads "
                "nothing from the network; thumbnails are read from ../thumbnails/.</footer>\n"
                "<script>\n");
    dynbuf_adds(b, script);
    dynbuf_adds(b, "</script>\n</body>\n</html>\n");
}
