/* Burned-in captions, part two: one caption drawn with pango/cairo in a
 * style (caption_draw.c), and that picture as Y, U, V and alpha planes
 * ready to blend into yuv420p frames. */
#ifndef AVE_RENDER_CAPTION_DRAW_H
#define AVE_RENDER_CAPTION_DRAW_H

#include <stdint.h>

#include <libavutil/frame.h>

enum render_caption_style { RENDER_CAPTION_CLEAN, RENDER_CAPTION_BOLD, RENDER_CAPTION_KARAOKE };

/* A caption picture in the coded frame, as planes to blend. */
typedef struct render_caption_pic {
    int x, y, w, h;         /* covered box in luma pixels, even */
    uint8_t *py, *pa;       /* w*h */
    uint8_t *pu, *pv, *pac; /* (w/2)*(h/2), chroma alpha = mean of the 2x2 block */
} render_caption_pic;

/* What to draw and where, in display orientation (the picture as watched). */
typedef struct render_caption_req {
    const char *text;       /* UTF-8, lines separated by '\n' */
    int hl_start, hl_end;   /* karaoke: byte range of the spoken word; -1 none */
    int style;              /* enum render_caption_style */
    double font_px;         /* body size (render_caption_scale of the style included) */
    int display_w, display_h;
} render_caption_req;

/* Size of a style's text relative to the plain size of ave_caption_fit:
 * the outlined social styles are larger (and so hold fewer characters). */
double render_caption_scale(int style);

/* Measure the caption: the size of its picture (display pixels). Returns 0
 * or AVE_ERR_NOMEM. */
int render_caption_measure(const render_caption_req *r, int *w, int *h);

/* Draw the caption with its top-left corner at (dx, dy) of the display
 * picture and convert it into *pic for width x height coded frames whose
 * display rotation is rotation_deg (0, 90, 180, 270, clockwise), in the
 * frame's matrix (bt601 or BT.709) and range (full or limited). On success
 * pic's planes are malloc'd (render_caption_pic_free); on failure pic is
 * empty. Returns 0, AVE_ERR_NOMEM or AVE_ERR_INTERNAL (cairo failed). */
int render_caption_draw(const render_caption_req *r, int dx, int dy, int width, int height,
                        int rotation_deg, int bt601, int full_range, render_caption_pic *pic);

/* Bytes the planes of pic take. */
int64_t render_caption_pic_bytes(const render_caption_pic *pic);

/* Blend pic into f (yuv420p, writable, the size the pic was drawn for). */
void render_caption_pic_blend(const render_caption_pic *pic, AVFrame *f);

/* Free the planes and zero *pic (an empty pic is fine). */
void render_caption_pic_free(render_caption_pic *pic);

#endif
