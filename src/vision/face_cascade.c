/* Loading OpenCV's Haar cascade XML (the "opencv-cascade-classifier" format
 * that Debian's opencv-data ships) into the flat arrays of face_internal.h.
 *
 * Only boosted Haar cascades with upright features are accepted: the old
 * "opencv-haar-classifier" format, LBP/HOG features and tilted (45 degree)
 * features are refused with a one-line reason. Every index and rectangle is
 * validated here so that detection never needs a bounds check: a malformed
 * file is an error, never a crash. Tree children must point forward, which
 * also rules out cycles. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ave/error.h"
#include "vision/face_internal.h"

#define MAX_WINDOW 1024
#define MAX_ITEMS (1 << 22) /* stages, trees, nodes or features */

typedef struct loader {
    ave_cascade *c;
    const char *path;
    char *err;
    size_t errlen;
    int cap_trees, cap_nodes, cap_leaves;
} loader;

static int fail(loader *ld, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(loader *ld, int code, const char *fmt, ...)
{
    if (ld->err && ld->errlen) {
        char msg[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        snprintf(ld->err, ld->errlen, "%s: %s", ld->path, msg);
    }
    return code;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
            return c;
    return NULL;
}

static int count_children(const xmlNode *n)
{
    int k = 0;
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            k++;
    return k;
}

/* Parses up to max numbers from an element's text; returns how many, or -1
 * on a token that is not a finite number. */
static int numbers(const xmlNode *n, double *out, int max)
{
    xmlChar *text = n ? xmlNodeGetContent(n) : NULL;
    int k = 0;
    if (!text)
        return n ? 0 : -1;
    const char *p = (const char *)text;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end == p || errno == ERANGE || !isfinite(v) || k == max ||
            (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r')) {
            k = -1;
            break;
        }
        out[k++] = v;
        p = end;
    }
    xmlFree(text);
    return k;
}

static int int_of(const xmlNode *parent, const char *name, int lo, int hi, int *out)
{
    double v;
    if (numbers(child(parent, name), &v, 1) != 1 || v != floor(v) || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int is_int(double v) { return v == floor(v) && fabs(v) < MAX_ITEMS; }

static int grow(void **p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return 0;
    int n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, (size_t)n * elem);
    if (!q)
        return AVE_ERR_NOMEM;
    *p = q;
    *cap = n;
    return 0;
}

static int load_tree(loader *ld, const xmlNode *weak, int si, int ti)
{
    ave_cascade *c = ld->c;
    const xmlNode *in = child(weak, "internalNodes"), *lv = child(weak, "leafValues");
    double nums[4 * 64], leaves[65];
    int nn = numbers(in, nums, 4 * 64), nl = numbers(lv, leaves, 65);
    if (nn <= 0 || nn % 4 || nl < 2)
        return fail(ld, AVE_ERR_INPUT, "stage %d tree %d: bad internalNodes/leafValues (a "
                    "categorical or malformed tree)", si, ti);
    int nnodes = nn / 4;
    if (nl != nnodes + 1)
        return fail(ld, AVE_ERR_INPUT, "stage %d tree %d: %d nodes need %d leaves, found %d",
                    si, ti, nnodes, nnodes + 1, nl);
    if (grow((void **)&c->trees, &ld->cap_trees, c->ntrees + 1, sizeof(face_tree)) ||
        grow((void **)&c->nodes, &ld->cap_nodes, c->nnodes + nnodes, sizeof(face_node)) ||
        grow((void **)&c->leaves, &ld->cap_leaves, c->nleaves + nl, sizeof(float)))
        return fail(ld, AVE_ERR_NOMEM, "out of memory");
    face_tree *t = &c->trees[c->ntrees++];
    t->first_node = c->nnodes;
    t->nnodes = nnodes;
    t->first_leaf = c->nleaves;
    t->nleaves = nl;
    for (int i = 0; i < nnodes; i++) {
        const double *v = nums + 4 * i;
        if (!is_int(v[0]) || !is_int(v[1]) || !is_int(v[2]))
            return fail(ld, AVE_ERR_INPUT, "stage %d tree %d: non-integer node index", si, ti);
        face_node *nd = &c->nodes[c->nnodes++];
        nd->left = (int)v[0];
        nd->right = (int)v[1];
        nd->feature = (int)v[2];
        nd->threshold = (float)v[3];
        int kids[2] = {nd->left, nd->right};
        for (int k = 0; k < 2; k++)
            if ((kids[k] > 0 && (kids[k] <= i || kids[k] >= nnodes)) ||
                (kids[k] <= 0 && -kids[k] >= nl))
                return fail(ld, AVE_ERR_INPUT, "stage %d tree %d: node %d points outside "
                            "its tree", si, ti, i);
        if (nd->feature < 0)
            return fail(ld, AVE_ERR_INPUT, "stage %d tree %d: negative feature index", si, ti);
    }
    for (int i = 0; i < nl; i++)
        c->leaves[c->nleaves++] = (float)leaves[i];
    if (nnodes > 1)
        c->stumps_only = 0;
    return 0;
}

static int load_stages(loader *ld, const xmlNode *stages)
{
    ave_cascade *c = ld->c;
    int n = count_children(stages);
    if (n < 1 || n > MAX_ITEMS)
        return fail(ld, AVE_ERR_INPUT, "no stages");
    c->stages = calloc((size_t)n, sizeof(*c->stages));
    if (!c->stages)
        return fail(ld, AVE_ERR_NOMEM, "out of memory");
    c->stumps_only = 1;
    for (xmlNode *s = stages->children; s; s = s->next) {
        if (s->type != XML_ELEMENT_NODE)
            continue;
        int si = c->nstages;
        double thr;
        if (numbers(child(s, "stageThreshold"), &thr, 1) != 1)
            return fail(ld, AVE_ERR_INPUT, "stage %d: missing or bad stageThreshold", si);
        const xmlNode *weak = child(s, "weakClassifiers");
        face_stage *st = &c->stages[c->nstages++];
        st->threshold = (float)thr - FACE_STAGE_EPS;
        st->first_tree = c->ntrees;
        int ti = 0;
        for (xmlNode *w = weak ? weak->children : NULL; w; w = w->next) {
            if (w->type != XML_ELEMENT_NODE)
                continue;
            int ret = load_tree(ld, w, si, ti++);
            if (ret < 0)
                return ret;
            if (c->ntrees > MAX_ITEMS || c->nnodes > MAX_ITEMS)
                return fail(ld, AVE_ERR_INPUT, "too many trees");
        }
        st->ntrees = c->ntrees - st->first_tree;
        if (st->ntrees == 0)
            return fail(ld, AVE_ERR_INPUT, "stage %d has no weakClassifiers", si);
    }
    return 0;
}

static int load_features(loader *ld, const xmlNode *features)
{
    ave_cascade *c = ld->c;
    int n = count_children(features);
    if (n < 1 || n > MAX_ITEMS)
        return fail(ld, AVE_ERR_INPUT, "no features");
    c->features = calloc((size_t)n, sizeof(*c->features));
    if (!c->features)
        return fail(ld, AVE_ERR_NOMEM, "out of memory");
    for (xmlNode *f = features->children; f; f = f->next) {
        if (f->type != XML_ELEMENT_NODE)
            continue;
        int fi = c->nfeatures;
        face_feature *ft = &c->features[c->nfeatures++];
        const xmlNode *tilted = child(f, "tilted");
        double tv;
        if (tilted && (numbers(tilted, &tv, 1) != 1 || tv != 0))
            return fail(ld, AVE_ERR_INPUT, "feature %d is tilted (45-degree Haar features "
                        "are not supported; use an upright cascade such as "
                        "haarcascade_frontalface_default.xml)", fi);
        const xmlNode *rects = child(f, "rects");
        for (xmlNode *r = rects ? rects->children : NULL; r; r = r->next) {
            if (r->type != XML_ELEMENT_NODE)
                continue;
            double v[5];
            if (ft->nrects == FACE_MAX_RECTS || numbers(r, v, 5) != 5)
                return fail(ld, AVE_ERR_INPUT, "feature %d: bad rectangle", fi);
            for (int k = 0; k < 4; k++)
                if (!is_int(v[k]))
                    return fail(ld, AVE_ERR_INPUT, "feature %d: non-integer rectangle", fi);
            int x = (int)v[0], y = (int)v[1], w = (int)v[2], h = (int)v[3];
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > c->win_w || y + h > c->win_h)
                return fail(ld, AVE_ERR_INPUT, "feature %d: rectangle %d %d %d %d outside the "
                            "%dx%d window", fi, x, y, w, h, c->win_w, c->win_h);
            ft->r[ft->nrects].x = x;
            ft->r[ft->nrects].y = y;
            ft->r[ft->nrects].w = w;
            ft->r[ft->nrects].h = h;
            ft->r[ft->nrects].weight = (float)v[4];
            ft->nrects++;
        }
        if (ft->nrects < 1)
            return fail(ld, AVE_ERR_INPUT, "feature %d has no rectangles", fi);
    }
    for (int i = 0; i < c->nnodes; i++)
        if (c->nodes[i].feature >= c->nfeatures)
            return fail(ld, AVE_ERR_INPUT, "a node uses feature %d of %d", c->nodes[i].feature,
                        c->nfeatures);
    return 0;
}

static int text_is(const xmlNode *n, const char *want)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    int ok = 0;
    if (t) {
        const char *s = (const char *)t;
        size_t len = strlen(want);
        while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
            s++;
        ok = !strncmp(s, want, len) && strspn(s + len, " \t\r\n") == strlen(s + len);
        xmlFree(t);
    }
    return ok;
}

static int load_doc(loader *ld, xmlDoc *doc)
{
    ave_cascade *c = ld->c;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "opencv_storage"))
        return fail(ld, AVE_ERR_INPUT, "not an OpenCV storage file (no <opencv_storage>)");
    xmlNode *cas = NULL;
    for (xmlNode *n = root->children; n && !cas; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            cas = n;
    if (!cas)
        return fail(ld, AVE_ERR_INPUT, "empty <opencv_storage>");
    xmlChar *type = xmlGetProp(cas, (const xmlChar *)"type_id");
    int old = type && !strcmp((const char *)type, "opencv-haar-classifier");
    xmlFree(type);
    if (old || child(cas, "size"))
        return fail(ld, AVE_ERR_INPUT, "old-format (\"opencv-haar-classifier\") cascade is not "
                    "supported; use a new-format file from /usr/share/opencv4/haarcascades/");
    if (!text_is(child(cas, "stageType"), "BOOST"))
        return fail(ld, AVE_ERR_INPUT, "stageType is not BOOST");
    if (!text_is(child(cas, "featureType"), "HAAR"))
        return fail(ld, AVE_ERR_INPUT, "featureType is not HAAR (LBP and HOG cascades are not "
                    "supported)");
    if (int_of(cas, "width", 3, MAX_WINDOW, &c->win_w) ||
        int_of(cas, "height", 3, MAX_WINDOW, &c->win_h))
        return fail(ld, AVE_ERR_INPUT, "missing or bad window width/height");
    int maxcat = 0;
    const xmlNode *fp = child(cas, "featureParams");
    if (fp && child(fp, "maxCatCount") && int_of(fp, "maxCatCount", 0, 1 << 20, &maxcat))
        return fail(ld, AVE_ERR_INPUT, "bad maxCatCount");
    if (maxcat != 0)
        return fail(ld, AVE_ERR_INPUT, "categorical trees (maxCatCount %d) are not HAAR", maxcat);
    const xmlNode *stages = child(cas, "stages"), *features = child(cas, "features");
    if (!stages || !features)
        return fail(ld, AVE_ERR_INPUT, "missing <stages> or <features>");
    int ret = load_stages(ld, stages);
    if (ret < 0)
        return ret;
    return load_features(ld, features);
}

int ave_cascade_load(const char *xml_path, ave_cascade **out, char *err, size_t errlen)
{
    loader ld = {.path = xml_path, .err = err, .errlen = errlen};
    xmlDoc *doc = NULL;
    int ret = 0;

    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    FILE *f = fopen(xml_path, "rb");
    if (!f)
        return fail(&ld, AVE_ERR_IO, "cannot open: %s", strerror(errno));
    fclose(f);
    ld.c = calloc(1, sizeof(*ld.c));
    if (!ld.c)
        return fail(&ld, AVE_ERR_NOMEM, "out of memory");
    /* No network, no entity expansion beyond the file, errors not printed
     * (reported through err instead). */
    doc = xmlReadFile(xml_path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *xe = xmlGetLastError();
        ret = fail(&ld, AVE_ERR_INPUT, "malformed XML%s%.*s", xe && xe->message ? ": " : "",
                   xe && xe->message ? (int)strcspn(xe->message, "\n") : 0,
                   xe && xe->message ? xe->message : "");
        goto out;
    }
    ret = load_doc(&ld, doc);
out:
    xmlFreeDoc(doc);
    if (ret < 0)
        ave_cascade_free(ld.c);
    else
        *out = ld.c;
    return ret;
}

void ave_cascade_free(ave_cascade *c)
{
    if (!c)
        return;
    free(c->stages);
    free(c->trees);
    free(c->nodes);
    free(c->leaves);
    free(c->features);
    free(c);
}

void ave_cascade_window(const ave_cascade *c, int *width, int *height)
{
    *width = c->win_w;
    *height = c->win_h;
}
