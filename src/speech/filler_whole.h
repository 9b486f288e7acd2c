/* Whole fillers (docs/SPEECH.md, "Whole fillers"): a filler cut takes the
 * hesitation from its onset to the end of its voicing. The recogniser, the
 * second pass and the held-word alignment all end a hum where its sound
 * steadies or its phones run out, and ave_filler_grow_to_sound stops where
 * the pitch leaves the held note or after 0.2 s; what stays is the hum's
 * fading tail (35-105 ms on the real set), an audible "-m". */
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
 *   its fade, up to the next sound: an audible or voiced frame there is the
 *   next word's onset, and the edge stops 10 ms short of it; a fade longer
 *   than 150 ms is a pause, and the edge stays at the end of the voicing;
 * - never past limit_us (the caller's guard against the words around it)
 *   nor more than max_us from edge_us, never inside the word.
 * Returns the new edge in us (edge_us when nothing continues it). */
int64_t ave_filler_sound_edge(const ave_filler_frames *fr, int64_t edge_us, int dir,
                              int64_t limit_us, int64_t max_us);

/* Apply ave_filler_sound_edge to both edges of every filler word
 * (AVE_WORD_FILLER, not muted; without recognised_too only the detector's
 * own, AVE_WORD_ACOUSTIC, as ave_filler_grow_to_sound), never closer than
 * guard_us to the word before or after it. w is in time order. Returns how
 * many words moved. */
size_t ave_filler_make_whole(ave_word *w, size_t n, const ave_filler_frames *fr, int64_t guard_us,
                             int64_t max_us, int recognised_too);

#endif
