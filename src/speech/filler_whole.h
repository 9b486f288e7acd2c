/* Whole fillers (docs/SPEECH.md, "Whole fillers"): a filler cut runs to the
 * end of the hesitation's voicing. The second pass and the held-word
 * alignment end a hum where its sound steadies or its phones run out, and
 * ave_filler_grow_to_sound stops where the pitch leaves the held note or
 * after 0.2 s; what stays is the hum's gliding or fading tail (80-105 ms on
 * the real set), an audible "-m". */
#ifndef AVE_SPEECH_FILLER_WHOLE_H
#define AVE_SPEECH_FILLER_WHOLE_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"
#include "speech/filler_detect.h"

/* Where the sound at one edge of a filler ends, walking the 10 ms frames of
 * fr away from edge_us (dir +1: the end, towards later frames; -1: the
 * onset, towards earlier ones):
 * - the voicing continues while frames are voiced and audible within
 *   1.5 semitones of the previous voiced frame (it follows a glide), taken
 *   from the word's own last frames next to the edge; dips of up to 20 ms
 *   (frames unvoiced, or at another pitch) do not end it;
 * - after the voicing, quiet frames (unvoiced, under the audible level) are
 *   its fade when a voiced frame (the next word's onset) follows within
 *   150 ms and before limit_us: the edge stops 10 ms short of that onset.
 *   Before an unvoiced onset (a stop's burst, a fricative: the quiet may be
 *   its closure), a longer quiet stretch (a pause) or the limit, the edge
 *   stays at the end of the voicing;
 * - never past limit_us (the caller's guard against the words around it)
 *   nor more than max_us from edge_us, never inside the word.
 * Returns the new edge in us (edge_us when nothing continues it). */
int64_t ave_filler_sound_edge(const ave_filler_frames *fr, int64_t edge_us, int dir,
                              int64_t limit_us, int64_t max_us);

/* Move the end of every filler the detector placed itself (AVE_WORD_FILLER
 * and AVE_WORD_ACOUSTIC, not muted: the second pass's, the held words', the
 * candidates') to ave_filler_sound_edge, never closer than guard_us to the
 * next word. w is in time order. Returns how many words moved.
 * Not the onset, and not the recogniser's own hesitations: on the generated
 * corpus at 20 dB the onset side took 16 ms of "cold" before a filler, and
 * on the real set neither gained a filler. */
size_t ave_filler_make_whole(ave_word *w, size_t n, const ave_filler_frames *fr, int64_t guard_us,
                             int64_t max_us);

#endif
