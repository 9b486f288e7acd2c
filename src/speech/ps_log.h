/* PocketSphinx's log goes through one process-wide callback: both of our
 * decoders (the recogniser and the keyword spotter) share this one, set
 * once, instead of each installing its own and the last one labelling the
 * other's messages. */
#ifndef AVE_SPEECH_PS_LOG_H
#define AVE_SPEECH_PS_LOG_H

/* Route PocketSphinx's messages into ave_log (stage "speech"); idempotent
 * and thread-safe. Call before creating a decoder. */
void ave_ps_route_log(void);

#endif
