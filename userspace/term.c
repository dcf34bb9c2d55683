// SPDX-License-Identifier: GPL-2.0
/* The terminal of an interactive command, and putting it back. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "term.h"

#define ALT_SCREEN_ON	"\033[?1049h"
#define ALT_SCREEN_OFF	"\033[?1049l"
#define CURSOR_HIDE	"\033[?25l"
#define CURSOR_SHOW	"\033[?25h"

static void put(int fd, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;

	while (len) {
		n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

/*
 * With SIGTTOU ignored: after Ctrl-Z, a parent that is not our shell
 * (sudo, a subshell) may stop first, and the shell take the terminal
 * back before we restore it; that restore must not stop us half-way.
 */
static int set_attr(int fd, const struct termios *tio)
{
	struct sigaction ign, old;
	int rc;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGTTOU, &ign, &old);
	do {
		rc = tcsetattr(fd, TCSADRAIN, tio);
	} while (rc && errno == EINTR);
	sigaction(SIGTTOU, &old, NULL);
	return rc;
}

int term_enter(struct term *t, int in, int out)
{
	struct termios raw;

	t->in = in;
	t->out = out;
	t->active = false;
	if (tcgetattr(in, &t->saved))
		return -1;
	raw = t->saved;
	raw.c_lflag &= ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (set_attr(in, &raw))
		return -1;
	t->active = true;
	put(out, ALT_SCREEN_ON CURSOR_HIDE);
	return 0;
}

void term_leave(struct term *t)
{
	if (!t->active)
		return;
	put(t->out, CURSOR_SHOW ALT_SCREEN_OFF);
	set_attr(t->in, &t->saved);
	t->active = false;
}

void term_size(int fd, unsigned int *rows, unsigned int *cols)
{
	struct winsize ws;

	*rows = 24;
	*cols = 80;
	if (ioctl(fd, TIOCGWINSZ, &ws) || !ws.ws_row || !ws.ws_col)
		return;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
}
