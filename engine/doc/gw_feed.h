/*
 * gw_feed: a gw_build's body blocks handed from the plugin host to a
 * layout running on another thread while the host is still making them.
 *
 * The producer (the plugin host) opens the feed once the page setup and the
 * masthead are final, pushes each body block right after appending it to
 * the build's list, and closes the feed when the build is complete (the
 * colophon included) or has failed. The consumer (layout) waits for the
 * opening, then walks the body with gw_feed_next, which waits while the
 * producer is behind. Blocks are never changed after they are pushed.
 *
 * A consumer that catches up sleeps until a batch of blocks is ahead of it,
 * the feed closes, or a short nap (0.2 ms) ends with blocks to do: a fast
 * consumer costs a wake-up per batch, not per block, and little is left to
 * do when the feed closes. The feed owns no blocks.
 */
#ifndef GW_FEED_H
#define GW_FEED_H

#include <stdbool.h>

#include "gw_block.h"

struct gw_feed;

struct gw_feed *gw_feed_new(void);
void gw_feed_free(struct gw_feed *f);

/* Producer: setup and masthead are final; body blocks follow. */
void gw_feed_open(struct gw_feed *f);
/* Producer: b has been appended to the body (it is the newest block). */
void gw_feed_push(struct gw_feed *f, struct gw_block *b);
/* Producer: no more blocks; ok false when the build failed. Opens too. */
void gw_feed_close(struct gw_feed *f, bool ok);

/*
 * Have fn(arg) called once, on the producer's thread, when the feed opens
 * (or closes without having opened): a consumer can start its thread then,
 * rather than start it early and sleep until then (waking a sleeping
 * thread while both cores are busy took up to a millisecond, against 0.16
 * ms for a new one; gw_jobs.h). Call before the producer starts.
 */
void gw_feed_on_open(struct gw_feed *f, void (*fn)(void *), void *arg);

/* Consumer: wait for the opening; false if the build failed before it. */
bool gw_feed_wait_open(struct gw_feed *f);
/*
 * Consumer: the body block after b (the first one for b NULL), waiting
 * while the producer has not made it; NULL at the end of the body.
 */
const struct gw_block *gw_feed_next(struct gw_feed *f, const struct gw_block *b);
/* Consumer: wait for the close; whether the build succeeded. */
bool gw_feed_wait_closed(struct gw_feed *f);

#endif /* GW_FEED_H */
