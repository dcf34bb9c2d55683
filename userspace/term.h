/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal of an interactive command: keys one at a time without
 * echo, the alternate screen, the cursor hidden; and everything put back
 * as it was on the way out.
 */
#ifndef MMSTALL_TERM_H
#define MMSTALL_TERM_H

#include <stdbool.h>
#include <termios.h>

struct term {
	int in;			/* keys come from here */
	int out;		/* the screen */
	struct termios saved;	/* the settings found at term_enter() */
	bool active;
};

/*
 * Save the settings of @in, turn off line editing and echo (signals from
 * Ctrl-C and Ctrl-Z stay on), switch @out to the alternate screen and
 * hide the cursor.  Returns 0, or -1 if @in is not a terminal.
 */
int term_enter(struct term *t, int in, int out);

/* Show the cursor, leave the alternate screen, restore the settings. */
void term_leave(struct term *t);

/* The size of the terminal at @fd; 24 x 80 if it cannot be had. */
void term_size(int fd, unsigned int *rows, unsigned int *cols);

#endif /* MMSTALL_TERM_H */
