/*
 * Main-text extraction from HTML fed in chunks.
 *
 * A small tokenizer (the skimmer) passes libxml2's HTML push parser only
 * what decides the tree: tags with the few attributes read by value (the
 * hints of class and id wait in a queue beside, one note per tag), one
 * marker for each run of text, nothing of scripts, styles, comments or
 * the insides of elements we skip.  libxml2 calls our SAX handlers,
 * which take the text back and build a light tree of our own (no libxml2
 * tree), keeping only what extraction needs: element kinds, class/id
 * hints, and text already collapsed.  Subtrees that never hold main
 * text (script, style, svg, ...) are not stored at all.
 * extract_finish() scores the tree and writes the chosen part as text or
 * markdown.
 *
 * Every walk over the tree is iterative, the tree is at most
 * TRAWL_DEPTH_MAX deep (deeper elements are folded into their ancestor),
 * and every buffer has a cap.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "extract.h"
#include "caps.h"

#define HOLD_MAX	256		/* bytes of a held-back end-tag start */
#define NODES_MAX	(1024 * 1024)	/* elements and text nodes kept: 64 MB */
#define RAWTEXT_MAX	(16 * 1024 * 1024) /* bytes of tree text kept */
#define META_MAX	2048		/* bytes of a metadata value kept */
#define JSONLD_MAX	(1024 * 1024)	/* bytes of JSON-LD scanned */
#define LANG_MAX	35		/* bytes of a language tag */
#define SNIFF_MAX	(64 * 1024)	/* bytes looked at for a charset */
#define TAGCACHE	61		/* element names remembered */
#define HINTCACHE	4096		/* class and id words remembered */
#define LEXNAME_MAX	32		/* bytes of a tag name kept */
#define DROP_MAX	64		/* open elements in a dropped subtree */
#define WATCH_MAX	512		/* bytes of a style value looked at */
#define OOB_LEAD	0xf3		/* first byte of a marker, U+F0000+n */
#define OOB_SEQS	0xfffe		/* marker numbers 0..0xfffd */
#define OOB_RUNS	0x8000		/* runs waiting at most */
#define XMLNAME_MAX	100		/* bytes of a name libxml2 keeps */
#define NOTES_MAX	0x10000		/* tag notes waiting at most */
#define NOTES_AHEAD	4		/* notes looked past for a tag's */
#define SKIM_MAX	(64 * 1024)	/* bytes skimmed before libxml2 reads */
#define DEPTH_NEAR	8		/* of TRAWL_PARSE_DEPTH: depth read exactly */
#define WIDE_PIECE	4096		/* bytes of UTF-16 or -32 fed at once */

/*
 * A small growable string, NUL-terminated when len > 0.  Appends past max
 * are dropped and set full; running out of memory sets nomem.
 */
struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
	int	 full;
	int	 nomem;
};

enum tag {
	T_OTHER, T_A, T_ADDRESS, T_ARTICLE, T_ASIDE, T_AUDIO, T_B,
	T_BLOCKQUOTE, T_BODY, T_BR, T_BUTTON, T_CANVAS, T_CAPTION, T_CENTER,
	T_CODE, T_DD, T_DETAILS, T_DIALOG, T_DIV, T_DL, T_DT, T_EM,
	T_EMBED, T_FIELDSET, T_FIGCAPTION, T_FIGURE, T_FONT, T_FOOTER,
	T_FORM, T_H1, T_H2, T_H3, T_H4, T_H5, T_H6, T_HEAD, T_HEADER, T_HR,
	T_HTML, T_I, T_IFRAME, T_IMG, T_INPUT, T_LABEL, T_LEGEND, T_LI,
	T_LINK, T_MAIN, T_MATH, T_MENU, T_META, T_NAV, T_NOSCRIPT, T_OBJECT,
	T_OL, T_OPTION, T_P, T_PRE, T_SCRIPT, T_SECTION, T_SELECT, T_SPAN,
	T_STRONG, T_STYLE, T_SUMMARY, T_SVG, T_TABLE, T_TBODY, T_TD,
	T_TEMPLATE, T_TEXTAREA, T_TFOOT, T_TH, T_THEAD, T_TIME, T_TITLE,
	T_TR, T_UL, T_VIDEO,
	T__MAX,
	T_TEXT = 255		/* a text node */
};

#define K_SKIP		0x01	/* never holds main text: not stored */
#define K_BLOCK		0x02	/* starts a paragraph */
#define K_BOILER	0x04	/* page furniture: nav, footer, ... */
#define K_HEADING	0x08
#define K_PARA		0x10	/* a paragraph-like text block */

struct tagdef {
	const char	*name;
	unsigned char	 kind;
};

/* Sorted by name for bsearch; indexed by enum tag too. */
static const struct tagdef tags[T__MAX] = {
	[T_OTHER] = { "", 0 },
	[T_A] = { "a", 0 },
	[T_ADDRESS] = { "address", K_BLOCK },
	[T_ARTICLE] = { "article", K_BLOCK },
	[T_ASIDE] = { "aside", K_BLOCK | K_BOILER },
	[T_AUDIO] = { "audio", K_SKIP },
	[T_B] = { "b", 0 },
	[T_BLOCKQUOTE] = { "blockquote", K_BLOCK | K_PARA },
	[T_BODY] = { "body", K_BLOCK },
	[T_BR] = { "br", 0 },
	[T_BUTTON] = { "button", K_SKIP },
	[T_CANVAS] = { "canvas", K_SKIP },
	[T_CAPTION] = { "caption", K_BLOCK },
	[T_CENTER] = { "center", K_BLOCK },
	[T_CODE] = { "code", 0 },
	[T_DD] = { "dd", K_BLOCK | K_PARA },
	[T_DETAILS] = { "details", K_BLOCK },
	[T_DIALOG] = { "dialog", K_BLOCK | K_BOILER },
	[T_DIV] = { "div", K_BLOCK },
	[T_DL] = { "dl", K_BLOCK },
	[T_DT] = { "dt", K_BLOCK },
	[T_EM] = { "em", 0 },
	[T_EMBED] = { "embed", K_SKIP },
	[T_FIELDSET] = { "fieldset", K_BLOCK },
	[T_FIGCAPTION] = { "figcaption", K_BLOCK },
	[T_FIGURE] = { "figure", K_BLOCK },
	[T_FONT] = { "font", 0 },
	[T_FOOTER] = { "footer", K_BLOCK | K_BOILER },
	[T_FORM] = { "form", K_BLOCK | K_BOILER },
	[T_H1] = { "h1", K_BLOCK | K_HEADING },
	[T_H2] = { "h2", K_BLOCK | K_HEADING },
	[T_H3] = { "h3", K_BLOCK | K_HEADING },
	[T_H4] = { "h4", K_BLOCK | K_HEADING },
	[T_H5] = { "h5", K_BLOCK | K_HEADING },
	[T_H6] = { "h6", K_BLOCK | K_HEADING },
	[T_HEAD] = { "head", 0 },
	[T_HEADER] = { "header", K_BLOCK | K_BOILER },
	[T_HR] = { "hr", K_BLOCK },
	[T_HTML] = { "html", K_BLOCK },
	[T_I] = { "i", 0 },
	[T_IFRAME] = { "iframe", K_SKIP },
	[T_IMG] = { "img", 0 },
	[T_INPUT] = { "input", K_SKIP },
	[T_LABEL] = { "label", 0 },
	[T_LEGEND] = { "legend", K_BLOCK },
	[T_LI] = { "li", K_BLOCK | K_PARA },
	[T_LINK] = { "link", 0 },
	[T_MAIN] = { "main", K_BLOCK },
	[T_MATH] = { "math", K_SKIP },
	[T_MENU] = { "menu", K_BLOCK | K_BOILER },
	[T_META] = { "meta", 0 },
	[T_NAV] = { "nav", K_BLOCK | K_BOILER },
	[T_NOSCRIPT] = { "noscript", K_BLOCK },
	[T_OBJECT] = { "object", K_SKIP },
	[T_OL] = { "ol", K_BLOCK },
	[T_OPTION] = { "option", K_SKIP },
	[T_P] = { "p", K_BLOCK | K_PARA },
	[T_PRE] = { "pre", K_BLOCK | K_PARA },
	[T_SCRIPT] = { "script", K_SKIP },
	[T_SECTION] = { "section", K_BLOCK },
	[T_SELECT] = { "select", K_SKIP },
	[T_SPAN] = { "span", 0 },
	[T_STRONG] = { "strong", 0 },
	[T_STYLE] = { "style", K_SKIP },
	[T_SUMMARY] = { "summary", K_BLOCK },
	[T_SVG] = { "svg", K_SKIP },
	[T_TABLE] = { "table", K_BLOCK },
	[T_TBODY] = { "tbody", 0 },
	[T_TD] = { "td", K_BLOCK | K_PARA },
	[T_TEMPLATE] = { "template", K_SKIP },
	[T_TEXTAREA] = { "textarea", K_SKIP },
	[T_TFOOT] = { "tfoot", 0 },
	[T_TH] = { "th", K_BLOCK | K_PARA },
	[T_THEAD] = { "thead", 0 },
	[T_TIME] = { "time", 0 },
	[T_TITLE] = { "title", 0 },
	[T_TR] = { "tr", K_BLOCK },
	[T_UL] = { "ul", K_BLOCK },
	[T_VIDEO] = { "video", K_SKIP },
};

/* A start tag's hints, queued for libxml2's call for it: see tag_take(). */
struct tagnote {
	uint32_t	key;		/* name_key() of its name */
	uint16_t	flags;		/* class, id and role hints, N_* */
	uint8_t		hide;		/* its attributes hide it */
};

#define NOTE_HIDE	0x10000		/* tag_take(): the tag is hidden */

/* A text run queued for the marker that stands for it. */
struct oobrun {
	size_t		off;
	size_t		len;
	uint16_t	seq;
	uint8_t		raw;		/* script text: no references */
};

/* Node flags. */
#define N_NEG		0x0001	/* class/id weighs against content */
#define N_POS		0x0002	/* class/id weighs for content */
#define N_INLINK	0x0004	/* inside an <a> */
#define N_DROP		0x0008	/* decided: not part of the text */
#define N_UNLIKELY	0x0010	/* in boilerplate by kind or hint */
#define N_CAND		0x0020	/* has a content score */
#define N_KEEP		0x0040	/* a root of the text kept */
#define N_UNL		0x0080	/* class/id/role says boilerplate */
#define N_MAYBE		0x0100	/* class/id says it may hold content */
#define N_JUNK		0x0200	/* class/id says small print: byline, ... */
#define N_MEDIA		0x0400	/* dropped as a figure, not as boilerplate */
#define N_LHEAD		0x0800	/* holds a heading that is one link */

/*
 * One element or text node.  Links are indices into x->nodes; 0 is the
 * document node, so 0 also means "none" for first, next and last.
 */
struct node {
	uint32_t	parent;
	uint32_t	first;
	uint32_t	last;
	uint32_t	next;
	uint32_t	off;		/* text node: bytes at x->raw.p + off */
	uint32_t	len;
	uint32_t	textlen;	/* text bytes in the subtree */
	uint32_t	linklen;	/* of which inside links */
	uint32_t	paras;		/* paragraph blocks in the subtree */
	uint32_t	own;		/* text bytes in child text nodes */
	uint32_t	good;		/* text not in links nor boilerplate */
	uint32_t	glink;		/* link text not in boilerplate */
	uint32_t	commas;		/* commas in the subtree's text */
	float		score;
	uint16_t	flags;
	uint16_t	depth;
	uint16_t	lheads;		/* children holding a linked heading */
	uint8_t		tag;
};

struct extract {
	htmlParserCtxtPtr	 ctxt;
	enum extract_format	 fmt;
	char			*charset;	/* from HTTP, or NULL */
	int			 wide;		/* UTF-16/32: NUL is data */
	int			 latin;		/* windows-1252, decoded here */
	int			 utf8;		/* UTF-8, checked here */
	char			 carry[4];	/* a UTF-8 sequence cut short */
	size_t			 ncarry;

	/* The skimmer: what libxml2 never needs to read stays out. */
	int			 lex;		/* enum lex */
	int			 lexn;		/* name length, dashes, match */
	int			 lexend;	/* in an end tag */
	int			 lexq;		/* quote that ends the value */
	int			 rawtag;	/* 1 script, 2 style */
	int			 rawkeep;	/* JSON-LD: libxml2 gets it */
	int			 rawdrop;	/* libxml2 gets none of it */
	int			 ldgrab;	/* JSON-LD: a run, out of band */
	char			 ldheld[8];	/* bytes of a "</script" */
	int			 ldmatch;	/* bytes of "ld+json" matched */
	char			 lexname[LEXNAME_MAX];
	char			 attrname[16];	/* ATTR_MAX */
	char			 attrval[256];	/* a class or id value */
	size_t			 attrvn;
	int			 attrn;
	int			 attrkeep;	/* the attribute passes */
	int			 attrseen;	/* ATTR_*: seen in this tag */
	int			 tagblank;	/* a blank in a tag not passed on */
	int			 headstate;	/* 1 in <head>, 2 past */
	int			 tagvalid;	/* tagoff valid */
	int			 tagnoted;	/* a blank noted at its '<' */
	int			 depth;		/* libxml2's open elements, or more */
	int			 piecetags;	/* tags passed in this piece */
	int			 halted;	/* too deep: the rest goes unread */
	size_t			 carried;	/* skimbuf's bytes of a tag cut */
	size_t			 tagoff;	/* the tag's '<' */
	int			 skipping;	/* bytes are being dropped */
	int			 wsprev;	/* text passed on ends in ' ' */
	int			 refopen;	/* it ends in an open reference */
	int			 textgap;	/* bytes dropped after that text */
	int			 seenstart;	/* a start tag has passed */
	struct sbuf		 skimbuf;	/* what libxml2 gets */

	/* A subtree extraction skips, dropped: see skim_drop_open(). */
	int			 dropping;
	int			 dropcand;	/* this start tag may begin one */
	int			 droppush;	/* this start tag opens in it */
	int			 taghidden;	/* its attributes hide it */
	int			 tagslash;	/* '/' right before '>' */
	int			 junkslash;	/* skipped junk ended in '/' */
	int			 watch;		/* 1 aria-hidden, 2 style value */
	int			 watchamp;	/* it has a reference */
	size_t			 watchn;
	char			 watchval[WATCH_MAX];
	size_t			 dropn;		/* open elements, the root first */
	char			 dropname[DROP_MAX][LEXNAME_MAX + 1];

	/* Text runs that pass libxml2 by: see oob_close(). */
	int			 oob;		/* UTF-8 or windows-1252 */
	int			 oobopen;	/* a run is being collected */
	int			 oobword;	/* it is not all blank */
	int			 pasthtml;	/* an </html> has passed */
	int			 ended;		/* libxml2 would take no more */
	uint16_t		 lastseq;	/* the last marker passed on */
	uint64_t		 lastend;	/* the skimmed offset after it */
	int			 lastfirst;	/* libxml2 begins text at it */
	int			 lastbyte;	/* the last byte passed on */
	size_t			 oobstart;	/* where it starts in oobtext */
	uint16_t		 oobseq;	/* the next run's number */
	struct sbuf		 oobtext;	/* runs libxml2 has not reached */
	struct oobrun		*runs;
	size_t			 runhead;	/* the oldest not taken */
	size_t			 nruns;
	size_t			 capruns;
	struct sbuf		 oobuf;		/* a run decoded */

	/* Class and id hints that pass libxml2 by: see tag_take(). */
	unsigned int		 tagflags;	/* of the start tag skimmed */
	struct tagnote		*notes;
	size_t			 notehead;	/* the oldest not taken */
	size_t			 nnotes;
	size_t			 capnotes;

	/* Blanks between tags that pass libxml2 by: see blank_take(). */
	uint64_t		 sfed;		/* skimmed bytes given to feed() */
	uint64_t		 spush;		/* of them, to parser_push() */
	uint64_t		 lpush;		/* bytes given to libxml2 */
	uint64_t		 tagpos;	/* skimmed offset of the tag's '<' */
	int			 blankpend;	/* a blank waits for what follows */
	uint64_t		*blanks;	/* where: skimmed, then libxml2's */
	size_t			 bhead;		/* the first not taken */
	size_t			 btrans;	/* the first still skimmed */
	size_t			 nblanks;
	size_t			 capblanks;

	const xmlChar		*tagkey[TAGCACHE]; /* tag_lookup() cache */
	uint8_t			 tagval[TAGCACHE];
	uint32_t		 tagname[TAGCACHE]; /* name_key() */
	size_t			 bomskip;	/* BOM bytes still to drop */
	int			 nomem;

	struct sbuf		 pend;		/* bytes held back */
	struct sbuf		 scratch;	/* NUL-free copy of a chunk */

	struct node		*nodes;
	size_t			 nnodes;
	size_t			 capnodes;
	uint32_t		 cur;		/* innermost open element */
	uint32_t		 body;
	int			 whole;		/* no block picked: all body */
	uint32_t		 best;		/* the best scoring block */
	size_t			 overdepth;	/* open elements not stored */
	size_t			 skipdepth;	/* open elements in a skip */
	size_t			 linkdepth;
	struct sbuf		 raw;		/* text of all text nodes */
	int			 rawspace;	/* raw ends in a space */

	int			 intitle;
	int			 injsonld;
	int			 inh1;
	int			 h1done;
	struct sbuf		 title;
	struct sbuf		 h1;
	struct sbuf		 ogtitle;
	struct sbuf		 lang;
	struct sbuf		 desc;
	struct sbuf		 ogdesc;
	struct sbuf		 canon;
	struct sbuf		 published;
	struct sbuf		 jsonld;
};

/* String builder. */

static void
sbuf_init(struct sbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

static void
sbuf_free(struct sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Make room for n more bytes and a NUL; returns 0 or -1. */
static int
sbuf_grow(struct sbuf *b, size_t n)
{
	size_t	 ncap;
	char	*np;

	if (b->cap - b->len > n)
		return 0;
	if (n > SIZE_MAX / 2 - b->len - 1) {
		b->nomem = 1;
		return -1;
	}
	ncap = b->cap ? b->cap : 64;
	while (ncap - b->len <= n)
		ncap *= 2;
	if ((np = realloc(b->p, ncap)) == NULL) {
		b->nomem = 1;
		return -1;
	}
	b->p = np;
	b->cap = ncap;
	return 0;
}

static inline void
sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	/* Nothing (s may be NULL then, which memcpy() must not get). */
	if (n == 0)
		return;
	/* The common case, room and no cap near: no calls but memcpy. */
	if (b->cap - b->len > n && b->max - b->len >= n) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
		b->p[b->len] = '\0';
		return;
	}
	if (n > b->max - b->len) {
		n = b->max - b->len;
		b->full = 1;
	}
	if (n == 0 || sbuf_grow(b, n) == -1)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sbuf_addc(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

/* Drop n bytes from the front. */
static void
sbuf_consume(struct sbuf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
	b->p[b->len] = '\0';
}

static const unsigned char spacechar[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1
};

static int
is_space(unsigned char c)
{
	return spacechar[c];
}

/*
 * Bytes of text for sbuf_addtext(): 0 printable ASCII, 1 blank, 2 above
 * 0x7f, 3 NUL and other controls.
 */
static unsigned char	 textclass[256];

static void
textclass_init(void)
{
	int	 c;

	for (c = 0; c < 256; c++)
		textclass[c] = spacechar[c] ? 1 : c >= 0x80 ? 2 :
		    c < 0x21 ? 3 : 0;
}

/*
 * Length of the valid UTF-8 sequence at s (n bytes available), or 0 if
 * the bytes there are not one.
 */
static size_t
utf8_seqlen(const unsigned char *s, size_t n)
{
	unsigned char	 c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		if (n >= 2 && (s[1] & 0xc0) == 0x80)
			return 2;
		return 0;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;
		if (c == 0xed && s[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 ||
		    (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;
		if (c == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

/*
 * Append text with every whitespace run collapsed to one space, *space
 * telling whether b already ends in one.  A byte that is not valid UTF-8
 * becomes the Latin-1 character of the same value, as libxml2 itself does,
 * so the result is always valid UTF-8.  Returns the bytes appended.
 */
static size_t
sbuf_addtext(struct sbuf *b, const unsigned char *s, size_t n, int *space)
{
	size_t	 i, run, l, before = b->len;
	char	 enc[2];

	i = 0;
	while (i < n && !b->full && !b->nomem) {
		if (is_space(s[i])) {
			while (i < n && is_space(s[i]))
				i++;
			if (!*space) {
				sbuf_addc(b, ' ');
				*space = 1;
			}
			continue;
		}
		/* Words and the single spaces between them go at once. */
		run = i;
		for (;;) {
			while (i < n && textclass[s[i]] == 0)
				i++;
			if (i == n)
				break;
			if (s[i] == ' ') {
				if (i + 1 < n && textclass[s[i + 1]] != 1 &&
				    textclass[s[i + 1]] != 3) {
					i++;
					continue;
				}
				break;
			}
			if (textclass[s[i]] != 2 ||
			    (l = utf8_seqlen(s + i, n - i)) == 0)
				break;
			i += l;
		}
		if (i > run) {
			sbuf_add(b, (const char *)s + run, i - run);
			*space = 0;
			continue;
		}
		if (s[i] >= 0x80) {
			enc[0] = (char)(0xc0 | (s[i] >> 6));
			enc[1] = (char)(0x80 | (s[i] & 0x3f));
			sbuf_add(b, enc, 2);
		} else if (s[i] != '\0')
			sbuf_addc(b, (char)s[i]);
		*space = 0;
		i++;
	}
	return b->len - before;
}

/*
 * ASCII case and letters, without the locale: names and hints are ASCII,
 * and <ctype.h> costs a call per byte.
 */
static inline int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static inline int
ascii_alpha(int c)
{
	return (unsigned int)((c | 0x20) - 'a') < 26;
}

static inline int
ascii_upper(int c)
{
	return (unsigned int)(c - 'A') < 26;
}

static int
ascii_casencmp(const char *a, const char *b, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		int	 ca = ascii_lower((unsigned char)a[i]);
		int	 cb = ascii_lower((unsigned char)b[i]);

		if (ca != cb)
			return ca - cb;
		if (ca == 0)
			break;
	}
	return 0;
}

/* Case-insensitive search of needle in s[0..n). */
static int
has_word(const char *s, size_t n, const char *needle)
{
	size_t	 nl = strlen(needle), i;

	if (nl > n)
		return 0;
	for (i = 0; i + nl <= n; i++) {
		if (ascii_lower((unsigned char)s[i]) == needle[0] &&
		    ascii_casencmp(s + i, needle, nl) == 0)
			return 1;
	}
	return 0;
}

/* Tree building. */

static enum tag
tag_lookup(const char *name)
{
	size_t	 lo = 1, hi = T__MAX, mid;
	int	 c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(name, tags[mid].name);
		if (c == 0)
			return (enum tag)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return T_OTHER;
}

static uint32_t
node_add(struct extract *x, uint8_t tag)
{
	struct node	*n, *p;
	size_t		 ncap;

	if (x->nnodes >= NODES_MAX)
		return 0;
	if (x->nnodes == x->capnodes) {
		ncap = x->capnodes ? x->capnodes * 2 : 256;
		n = reallocarray(x->nodes, ncap, sizeof(*n));
		if (n == NULL) {
			x->nomem = 1;
			return 0;
		}
		x->nodes = n;
		x->capnodes = ncap;
	}
	n = &x->nodes[x->nnodes];
	memset(n, 0, sizeof(*n));
	n->tag = tag;
	n->parent = x->cur;
	p = &x->nodes[x->cur];
	n->depth = p->depth + 1;
	if (x->linkdepth > 0)
		n->flags |= N_INLINK;
	if (p->last != 0)
		x->nodes[p->last].next = (uint32_t)x->nnodes;
	else
		p->first = (uint32_t)x->nnodes;
	p->last = (uint32_t)x->nnodes;
	return (uint32_t)x->nnodes++;
}

static const char *
attr_get(const xmlChar **atts, const char *name)
{
	size_t	 i;

	if (atts == NULL)
		return NULL;
	for (i = 0; atts[i] != NULL; i += 2)
		if (strcmp((const char *)atts[i], name) == 0)
			return atts[i + 1] != NULL ?
			    (const char *)atts[i + 1] : "";
	return NULL;
}

/* Store a metadata value once, whitespace collapsed. */
static void
meta_set(struct sbuf *b, const char *v)
{
	int	 space = 1;

	if (v == NULL || b->len > 0)
		return;
	sbuf_addtext(b, (const unsigned char *)v, strlen(v), &space);
}

static void
meta_element(struct extract *x, const xmlChar **atts)
{
	const char	*name, *prop, *content, *equiv;

	content = attr_get(atts, "content");
	if (content == NULL)
		return;
	name = attr_get(atts, "name");
	prop = attr_get(atts, "property");
	equiv = attr_get(atts, "http-equiv");
	if (prop == NULL)
		prop = attr_get(atts, "itemprop");
	if (name != NULL) {
		if (strcasecmp(name, "description") == 0)
			meta_set(&x->desc, content);
		else if (strcasecmp(name, "og:title") == 0)
			meta_set(&x->ogtitle, content);
		else if (strcasecmp(name, "og:description") == 0)
			meta_set(&x->ogdesc, content);
		else if (strcasecmp(name, "article:published_time") == 0 ||
		    strcasecmp(name, "date") == 0 ||
		    strcasecmp(name, "pubdate") == 0)
			meta_set(&x->published, content);
		else if (strcasecmp(name, "language") == 0)
			meta_set(&x->lang, content);
	}
	if (prop != NULL) {
		if (strcasecmp(prop, "og:title") == 0)
			meta_set(&x->ogtitle, content);
		else if (strcasecmp(prop, "og:description") == 0)
			meta_set(&x->ogdesc, content);
		else if (strcasecmp(prop, "article:published_time") == 0 ||
		    strcasecmp(prop, "datePublished") == 0)
			meta_set(&x->published, content);
	}
	if (equiv != NULL && strcasecmp(equiv, "content-language") == 0)
		meta_set(&x->lang, content);
}

static void
link_element(struct extract *x, const xmlChar **atts)
{
	const char	*rel, *href;

	rel = attr_get(atts, "rel");
	href = attr_get(atts, "href");
	if (rel != NULL && href != NULL && strcasecmp(rel, "canonical") == 0)
		meta_set(&x->canon, href);
}

/*
 * Class and id hints, after Readability: N_UNL marks boilerplate unless
 * N_MAYBE says it may hold content; N_POS and N_NEG weigh candidates.
 */
#define HINT(s, f)	{ s, sizeof(s) - 1, f }
static const struct hint {
	const char	*s;
	size_t		 len;
	uint16_t	 f;
} hints[] = {
	HINT("advert", N_UNL | N_NEG),
	HINT("agegate", N_UNL),
	HINT("ai2html", N_UNL),
	HINT("and", N_MAYBE),
	HINT("article", N_MAYBE | N_POS),
	HINT("article-infos", N_UNL | N_NEG),
	HINT("attachment", N_UNL | N_NEG),
	HINT("author", N_UNL | N_JUNK),
	HINT("avatar", N_JUNK),
	HINT("banner", N_UNL | N_NEG),
	HINT("blog", N_POS),
	HINT("body", N_MAYBE | N_POS),
	HINT("breadcrumb", N_UNL | N_NEG),
	HINT("button", N_UNL | N_NEG),
	HINT("byline", N_JUNK),
	HINT("caption", N_JUNK),
	HINT("column", N_MAYBE),
	HINT("com-", N_NEG),
	HINT("combx", N_UNL | N_NEG),
	HINT("comment", N_UNL | N_NEG),
	HINT("community", N_UNL),
	HINT("consent", N_UNL | N_NEG),
	HINT("contact", N_NEG),
	HINT("content", N_MAYBE | N_POS),
	HINT("cookie", N_UNL | N_NEG),
	HINT("copyright", N_JUNK),
	HINT("cover-wrap", N_UNL),
	HINT("credit", N_JUNK),
	HINT("date", N_JUNK),
	HINT("disqus", N_UNL | N_NEG),
	HINT("donat", N_JUNK),
	HINT("embed", N_UNL | N_NEG),
	HINT("entry", N_POS),
	HINT("extra", N_UNL),
	HINT("follow", N_JUNK),
	HINT("foot", N_NEG),
	HINT("footer", N_UNL | N_NEG),
	HINT("gdpr", N_UNL | N_NEG),
	HINT("header", N_UNL),
	HINT("infoline", N_UNL | N_NEG),
	HINT("keyword", N_JUNK),
	HINT("legends", N_UNL),
	HINT("login", N_JUNK),
	HINT("main", N_MAYBE | N_POS),
	HINT("masthead", N_NEG),
	HINT("menu", N_UNL),
	HINT("meta", N_NEG | N_JUNK),
	HINT("modal", N_UNL | N_NEG),
	HINT("navbar", N_UNL | N_NEG),
	HINT("navigation", N_UNL | N_NEG),
	HINT("newsletter", N_UNL | N_NEG),
	HINT("next-post", N_UNL | N_NEG),
	HINT("outbrain", N_UNL | N_NEG),
	HINT("pager", N_UNL),
	HINT("pagination", N_UNL),
	HINT("paid-content", N_UNL | N_NEG),
	HINT("paywall", N_JUNK),
	HINT("popular", N_JUNK),
	HINT("popup", N_UNL | N_NEG),
	HINT("post", N_POS),
	HINT("post-nav", N_UNL | N_NEG),
	HINT("print", N_JUNK),
	HINT("profile", N_JUNK),
	HINT("promo", N_UNL | N_NEG),
	HINT("rating", N_JUNK),
	HINT("recirc", N_JUNK),
	HINT("recommend", N_UNL | N_NEG),
	HINT("related", N_UNL | N_NEG),
	HINT("remark", N_UNL),
	HINT("replies", N_UNL),
	HINT("rss", N_UNL),
	HINT("screen-reader", N_JUNK),
	HINT("shadow", N_MAYBE),
	HINT("share", N_UNL | N_NEG),
	HINT("sharing", N_UNL | N_NEG),
	HINT("shopping", N_NEG),
	HINT("shoutbox", N_UNL | N_NEG),
	HINT("sidebar", N_UNL | N_NEG),
	HINT("signup", N_UNL | N_NEG),
	HINT("skyscraper", N_UNL | N_NEG),
	HINT("social", N_UNL | N_NEG),
	HINT("sponsor", N_UNL | N_NEG),
	HINT("sr-only", N_JUNK),
	HINT("story", N_POS),
	HINT("subnav", N_UNL | N_NEG),
	HINT("subscribe", N_UNL | N_NEG),
	HINT("supplemental", N_UNL),
	HINT("syndication", N_UNL | N_NEG),
	HINT("taboola", N_UNL | N_NEG),
	HINT("tags", N_NEG),
	HINT("text", N_POS),
	HINT("timestamp", N_JUNK),
	HINT("tool", N_NEG),
	HINT("toolbar", N_JUNK),
	HINT("trending", N_JUNK),
	HINT("user-info", N_UNL | N_NEG),
	HINT("user-profile", N_UNL | N_NEG),
	HINT("viral", N_UNL | N_NEG),
	HINT("visually-hidden", N_JUNK),
	HINT("visuallyhidden", N_JUNK),
	HINT("widget", N_NEG),
	HINT("yom-remote", N_UNL),
	HINT("-ad-", N_UNL | N_NEG),
	HINT("-icon", N_UNL | N_NEG),
};

#define SHORT_HINT	3	/* hints this short must start a word */

/*
 * hints[] entries by their first two bytes: the first index and how
 * many (hints sharing two bytes are next to each other in hints[]).
 */
static unsigned char	 hint_pair[128][128][2];
static pthread_once_t	 hint_once = PTHREAD_ONCE_INIT;

static void
hints_index(void)
{
	unsigned char	*e;
	size_t		 i;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		e = hint_pair[(unsigned char)hints[i].s[0]]
		    [(unsigned char)hints[i].s[1]];
		if (e[1]++ == 0)
			e[0] = (unsigned char)i;
	}
}

/* Once per process: libxml2 wants its init before threads use it. */
static void
extract_init(void)
{
	xmlInitParser();
	hints_index();
	textclass_init();
}

/* Hints found in one word of a class or id value, v[0..len). */
static uint16_t
hints_in(const char *v, size_t len)
{
	char		 low[256];
	const unsigned char *e;
	size_t		 n, i, k;
	int		 mid;
	uint16_t	 f = 0;

	for (n = 0; n < len && n < sizeof(low) - 1; n++)
		low[n] = (char)ascii_lower((unsigned char)v[n]);
	low[n] = '\0';
	for (i = 0; i < n; i++) {
		/* Most places start no hint: look at two bytes first. */
		e = hint_pair[(unsigned char)low[i] & 0x7f]
		    [(unsigned char)low[i + 1] & 0x7f];
		if (e[1] == 0)
			continue;
		/* Short words start after a non-letter or at a capital:
		 * "apageroot" holds no "pager", "mainPager" does. */
		mid = i > 0 && ascii_alpha((unsigned char)low[i - 1]) &&
		    !ascii_upper((unsigned char)v[i]);
		for (k = e[0]; k < (size_t)e[0] + e[1]; k++) {
			const char	*h = hints[k].s;
			size_t		 l = hints[k].len, j;

			if (l > n - i || (mid && l <= SHORT_HINT))
				continue;
			/* Hints are short: no call to memcmp(). */
			for (j = 0; j < l && h[j] == low[i + j]; j++)
				;
			if (j == l)
				f |= hints[k].f;
		}
	}
	return f;
}

/* Whether a style attribute hides its element. */
static int
style_hides(const char *v)
{
	size_t	 n = strlen(v);

	if (n > 512)
		n = 512;
	if (memmem(v, n, "none", 4) == NULL &&
	    memmem(v, n, "hidden", 6) == NULL)
		return 0;
	return has_word(v, n, "display:none") ||
	    has_word(v, n, "display: none") ||
	    has_word(v, n, "visibility:hidden") ||
	    has_word(v, n, "visibility: hidden");
}

static int
role_boilerplate(const char *v)
{
	static const char *const roles[] = {
		"navigation", "menu", "menubar", "complementary",
		"contentinfo", "banner", "alert", "alertdialog", "dialog",
		NULL
	};
	size_t	 i;

	for (i = 0; roles[i] != NULL; i++)
		if (strcasecmp(v, roles[i]) == 0)
			return 1;
	return 0;
}

/*
 * The hints of a class or id value (its first 255 bytes): those of its
 * words, through a cache.  No hint holds a blank, and pages repeat their
 * class words far more than whole values, and sites and frameworks
 * repeat them across pages: the cache is the thread's, not the page's.
 * A 64-bit hash tells words apart well enough for hints.
 */
struct hintslot {
	uint64_t	 key;
	uint16_t	 f;
};

static _Thread_local struct hintslot	 wordcache[HINTCACHE];

/*
 * Whole values repeat too (three in five on the extraction-dev pages):
 * a second cache spares those the split into words.
 */
static _Thread_local struct hintslot	 valcache[HINTCACHE];

/* A 64-bit hash of s[0..n): words of eight bytes, then fmix64. */
static uint64_t
value_hash(const char *s, size_t n)
{
	uint64_t	 h = 0x9e3779b97f4a7c15ULL ^ n, w;
	size_t		 i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, s + i, n - i);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static uint16_t
hints_cached(const char *v, size_t n)
{
	struct hintslot	*c, *vc;
	uint64_t	 h;
	const char	*end, *w;

	if (n > 255)
		n = 255;
	h = value_hash(v, n);
	vc = &valcache[(h ^ h >> 32) & (HINTCACHE - 1)];
	if (vc->key == h)
		return vc->f;
	vc->key = h;
	vc->f = 0;
	end = v + n;
	while (v < end) {
		if (is_space((unsigned char)*v)) {
			v++;
			continue;
		}
		for (w = v; v < end && !is_space((unsigned char)*v); v++)
			;
		h = value_hash(w, (size_t)(v - w));
		c = &wordcache[(h ^ h >> 32) & (HINTCACHE - 1)];
		if (c->key != h) {
			c->key = h;
			c->f = hints_in(w, (size_t)(v - w));
		}
		vc->f |= c->f;
	}
	return vc->f;
}

/* The hints of a class or id value, coded by the skimmer unless wide. */
static uint16_t
hints_value(struct extract *x, const char *v)
{
	unsigned int	 f = 0;

	if (x->wide)
		return hints_cached(v, strnlen(v, 255));
	for (; *v >= '0' && *v <= 'f'; v++) {
		if (*v <= '9')
			f = f << 4 | (unsigned int)(*v - '0');
		else if (*v >= 'a')
			f = f << 4 | (unsigned int)(*v - 'a' + 10);
		else
			break;
	}
	return (uint16_t)f;
}

/*
 * Class, id and role hints, as N_* flags, in one pass over the
 * attributes; -1 if the attributes hide the element from readers.
 */
static int
attrs_scan(struct extract *x, const xmlChar **atts)
{
	const char	*a, *v;
	size_t		 i;
	int		 f = 0;

	if (atts == NULL)
		return 0;
	for (i = 0; atts[i] != NULL; i += 2) {
		a = (const char *)atts[i];
		v = (const char *)atts[i + 1];
		switch (a[0]) {
		case 'a':
			if (v != NULL && strcmp(a, "aria-hidden") == 0 &&
			    strcasecmp(v, "true") == 0)
				return -1;
			break;
		case 'c':
			if (v != NULL && strcmp(a, "class") == 0)
				f |= hints_value(x, v);
			break;
		case 'h':
			if (strcmp(a, "hidden") == 0)
				return -1;
			break;
		case 'i':
			if (v != NULL && a[1] == 'd' && a[2] == '\0')
				f |= hints_value(x, v);
			break;
		case 'r':
			if (v != NULL && strcmp(a, "role") == 0 &&
			    role_boilerplate(v))
				f |= N_UNL | N_NEG;
			break;
		case 's':
			if (v != NULL && strcmp(a, "style") == 0 &&
			    style_hides(v))
				return -1;
			break;
		default:
			break;
		}
	}
	return f;
}

static void	 blank_take(struct extract *);

/*
 * What tells a start tag's name from another's, for a queued tagnote:
 * its length and its first and last bytes (n bytes long, the first
 * min(n, LEXNAME_MAX) at s, lowercase).  libxml2 keeps XMLNAME_MAX bytes
 * of a name, the skimmer LEXNAME_MAX.
 */
static uint32_t
name_key(const char *s, size_t n)
{
	if (n > XMLNAME_MAX)
		n = XMLNAME_MAX;
	if (n == 0)
		return 0;
	return (uint32_t)n << 16 | (uint32_t)(unsigned char)s[0] << 8 |
	    (n <= LEXNAME_MAX ? (unsigned char)s[n - 1] : 0);
}

/*
 * The class, id and role hints of the start tag libxml2 calls
 * sax_start() for, and NOTE_HIDE if hidden, style or aria-hidden hide
 * it.  With out-of-band text the skimmer gives libxml2 none of these
 * attributes: libxml2 reads attribute values a character at a time,
 * into memory of their own: a tenth of its time went there.  (A value
 * with a reference still goes to libxml2, which decodes it, and
 * attrs_scan() reads it.)  The skimmer queues each start tag it passes
 * on with its hints instead, and libxml2 calls sax_start() for those
 * tags in the same order.  Besides them libxml2 calls it for elements it
 * implies, which are <html>, <head>, <body> and <p> with no attributes,
 * and drops a misplaced <html>, <head> or <body> (sax_error() hears of
 * it and drops its note).  A call for the tag queued first is for that
 * tag, unless it is implied: then libxml2 is reading text, not at the
 * end of that tag (its '>' or "/>", or the end of the page).
 */
static unsigned int
tag_take(struct extract *x, uint32_t key, enum tag t)
{
	const struct tagnote	*r;
	size_t			 i;
	unsigned char		 c;

	if (x->notehead == x->nnotes)
		return 0;
	r = &x->notes[x->notehead];
	if (r->key != key) {
		/*
		 * An implied element, or a call for a tag not noted, or
		 * notes for tags libxml2 did not call for.  None of these
		 * happens but the first, as far as tests and fuzzing have
		 * found; the last is mended by looking a little ahead.
		 */
		if (t == T_HTML || t == T_HEAD || t == T_BODY || t == T_P)
			return 0;
		for (i = 1; i <= NOTES_AHEAD &&
		    x->notehead + i < x->nnotes; i++)
			if (x->notes[x->notehead + i].key == key)
				break;
		if (i > NOTES_AHEAD || x->notehead + i == x->nnotes)
			return 0;
		x->notehead += i;
		r = &x->notes[x->notehead];
	} else if (t == T_HTML || t == T_HEAD || t == T_BODY || t == T_P) {
		c = *x->ctxt->input->cur;
		if (c != '>' && c != '/' && c != '\0')
			return 0;
	}
	x->notehead++;
	return r->flags | (r->hide ? NOTE_HIDE : 0);
}

static void
sax_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	struct extract	*x = ctx;
	const char	*name = (const char *)xname;
	const char	*v;
	enum tag	 t;
	uint32_t	 id, key;
	unsigned int	 tf = 0;
	int		 hf;
	size_t		 h;

	if (x->bhead < x->btrans)
		blank_take(x);
	/* Names come from the parser's dictionary: one pointer each. */
	h = ((uintptr_t)xname >> 3) % TAGCACHE;
	if (x->tagkey[h] == xname) {
		t = (enum tag)x->tagval[h];
		key = x->tagname[h];
	} else {
		t = tag_lookup(name);
		key = name_key(name, strlen(name));
		x->tagkey[h] = xname;
		x->tagval[h] = (uint8_t)t;
		x->tagname[h] = key;
	}
	if (x->oob)
		tf = tag_take(x, key, t);
	if (x->skipdepth > 0) {
		x->skipdepth++;
		return;
	}
	switch (t) {
	case T_META:
		meta_element(x, atts);
		x->skipdepth = 1;
		return;
	case T_LINK:
		link_element(x, atts);
		x->skipdepth = 1;
		return;
	case T_HTML:
		if ((v = attr_get(atts, "lang")) != NULL && *v != '\0') {
			x->lang.len = 0;
			meta_set(&x->lang, v);
		}
		break;
	case T_TITLE:
		if (x->title.len == 0)
			x->intitle = 1;
		x->skipdepth = 1;
		return;
	case T_SCRIPT:
		v = attr_get(atts, "type");
		if (v != NULL && strcasecmp(v, "application/ld+json") == 0)
			x->injsonld = 1;
		x->skipdepth = 1;
		return;
	default:
		break;
	}
	if ((tags[t].kind & K_SKIP) || (tf & NOTE_HIDE) ||
	    (hf = attrs_scan(x, atts)) == -1) {
		x->skipdepth = 1;
		return;
	}
	if (t == T_H1 && !x->h1done)
		x->inh1 = 1;
	if (x->overdepth > 0 || x->nodes[x->cur].depth >= TRAWL_DEPTH_MAX ||
	    (id = node_add(x, (uint8_t)t)) == 0) {
		x->overdepth++;
		return;
	}
	x->nodes[id].flags |= (uint16_t)(hf | (tf & ~NOTE_HIDE));
	if (t == T_BODY && x->body == 0)
		x->body = id;
	if (tags[t].kind & K_BLOCK)
		x->rawspace = 1;
	if (t == T_A)
		x->linkdepth++;
	x->cur = id;
}

static void
sax_end(void *ctx, const xmlChar *xname)
{
	struct extract	*x = ctx;
	struct node	*n, *p;

	(void)xname;
	if (x->bhead < x->btrans)
		blank_take(x);
	if (x->skipdepth > 0) {
		if (--x->skipdepth == 0) {
			x->intitle = 0;
			x->injsonld = 0;
		}
		return;
	}
	if (x->overdepth > 0) {
		x->overdepth--;
		return;
	}
	if (x->cur == 0)
		return;
	n = &x->nodes[x->cur];
	if (n->tag == T_A && x->linkdepth > 0)
		x->linkdepth--;
	if (n->tag == T_H1 && x->inh1) {
		x->inh1 = 0;
		if (x->h1.len > 0)
			x->h1done = 1;
	}
	if ((tags[n->tag].kind & K_PARA) && n->textlen > 0)
		n->paras++;
	x->rawspace = x->rawspace || (tags[n->tag].kind & K_BLOCK);
	p = &x->nodes[n->parent];
	p->textlen += n->textlen;
	p->linklen += n->linklen;
	p->paras += n->paras;
	x->cur = n->parent;
}

/* Whether text_add() keeps text given now. */
static int
text_wanted(struct extract *x)
{
	if (x->skipdepth > 0)
		return x->intitle || x->injsonld;
	return x->nodes[x->cur].tag != T_HEAD || x->inh1;
}

/* Text of the document, in document order, where the parser is. */
static void
text_add(struct extract *x, const xmlChar *ch, size_t len)
{
	struct node	*n, *c;
	size_t		 added, off;
	int		 sp;

	if (len == 0)
		return;
	if (x->skipdepth > 0) {
		if (x->intitle) {
			sp = x->title.len == 0 ||
			    x->title.p[x->title.len - 1] == ' ';
			sbuf_addtext(&x->title, ch, len, &sp);
		} else if (x->injsonld)
			sbuf_add(&x->jsonld, (const char *)ch, len);
		return;
	}
	if (x->inh1) {
		sp = x->h1.len == 0 || x->h1.p[x->h1.len - 1] == ' ';
		sbuf_addtext(&x->h1, ch, len, &sp);
	}
	if (x->nodes[x->cur].tag == T_HEAD)
		return;
	n = &x->nodes[x->cur];
	c = n->last != 0 ? &x->nodes[n->last] : NULL;
	off = x->raw.len;
	added = sbuf_addtext(&x->raw, ch, len, &x->rawspace);
	if (added == 0)
		return;
	if (c != NULL && c->tag == T_TEXT && c->off + c->len == off) {
		c->len += (uint32_t)added;
	} else {
		uint32_t	 id;

		if ((id = node_add(x, T_TEXT)) == 0)
			return;
		n = &x->nodes[x->cur];
		x->nodes[id].off = (uint32_t)off;
		x->nodes[id].len = (uint32_t)added;
	}
	n->textlen += (uint32_t)added;
	if (x->linkdepth > 0)
		n->linklen += (uint32_t)added;
}

static void	 oob_take(struct extract *, unsigned int);
static int	 oob_waits(struct extract *, unsigned int);

/*
 * Blank runs between tags.  The skimmer gives libxml2 one byte for such
 * a run, and libxml2 turns it into a call of its own, which cost it
 * nearly as much as a tag: a tenth of its time went there.  A blank
 * followed by '<' changes nothing in libxml2's tree (where it would,
 * after <html> or in <head>, libxml2 ignores it), so the skimmer leaves
 * it out and notes where it was; text_add() gets it when libxml2 has
 * read past that place, before whatever libxml2 does next.
 */
static void
blank_take(struct extract *x)
{
	long	 at = xmlByteConsumed(x->ctxt);

	while (x->bhead < x->btrans && at >= 0 &&
	    (uint64_t)at > x->blanks[x->bhead]) {
		x->bhead++;
		text_add(x, (const xmlChar *)" ", 1);
	}
}

/*
 * Characters from libxml2: with out-of-band text, markers that stand for
 * the runs (see oob_close()) among blanks and stray '<'.
 */
static void
sax_text(void *ctx, const xmlChar *ch, int len)
{
	struct extract		*x = ctx;
	const unsigned char	*s = ch, *end, *m, *from;
	unsigned int		 seq;

	if (x->bhead < x->btrans)
		blank_take(x);
	if (len <= 0 || x->ended)
		return;
	end = s + len;
	if (!x->oob) {
		text_add(x, ch, (size_t)len);
		return;
	}
	from = s;
	while ((m = memchr(s, OOB_LEAD, (size_t)(end - s))) != NULL) {
		if (end - m < 4 || (m[1] & 0xf0) != 0xb0) {
			s = m + 1;
			continue;
		}
		seq = (unsigned int)(m[1] & 0x0f) << 12 |
		    (unsigned int)(m[2] & 0x3f) << 6 | (m[3] & 0x3f);
		/* A character of the page's own, in text libxml2 got. */
		if (!oob_waits(x, seq)) {
			s = m + 4;
			continue;
		}
		text_add(x, from, (size_t)(m - from));
		oob_take(x, seq);
		if (x->ended)
			return;
		s = from = m + 4;
	}
	text_add(x, from, (size_t)(end - from));
}

/* libxml2 drops a misplaced <html>, <head> or <body>: its note goes. */
static void
sax_error(void *ctx, xmlErrorPtr err)
{
	struct extract	*x = ctx;

	if (x->oob && err != NULL && err->code == XML_HTML_STRUCURE_ERROR &&
	    err->str1 != NULL && x->notehead < x->nnotes &&
	    x->notes[x->notehead].key == name_key(err->str1,
	    strlen(err->str1)))
		x->notehead++;
}

static void
sax_message(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Feeding. */

static const char *
find_handler_name(const unsigned char *s, size_t n, size_t *bom, int *wide)
{
	*bom = 0;
	*wide = 0;
	if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		*bom = 3;
		return "UTF-8";
	}
	if (n >= 4 && s[0] == 0xff && s[1] == 0xfe && s[2] == 0 && s[3] == 0) {
		*bom = 4;
		*wide = 1;
		return "UTF-32LE";
	}
	if (n >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xfe && s[3] == 0xff) {
		*bom = 4;
		*wide = 1;
		return "UTF-32BE";
	}
	if (n >= 2 && s[0] == 0xff && s[1] == 0xfe) {
		*bom = 2;
		*wide = 1;
		return "UTF-16LE";
	}
	if (n >= 2 && s[0] == 0xfe && s[1] == 0xff) {
		*bom = 2;
		*wide = 1;
		return "UTF-16BE";
	}
	return NULL;
}

/*
 * The charset a <meta> names in s[0..n), as libxml2 would find it too
 * (<meta charset=X> or content="...; charset=X"), copied to out.
 * Returns 1 if found.
 */
static int
sniff_meta(const char *s, size_t n, char *out, size_t outsz)
{
	const char	*p = s, *end = s + n, *gt, *c;
	size_t		 k;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) < 6 || ascii_casencmp(p + 1, "meta", 4)) {
			p++;
			continue;
		}
		if ((gt = memchr(p, '>', (size_t)(end - p))) == NULL)
			return 0;
		for (c = p + 5; c + 7 <= gt; c++) {
			if (ascii_casencmp(c, "charset", 7) != 0)
				continue;
			c += 7;
			while (c < gt && (*c == ' ' || *c == '='))
				c++;
			while (c < gt && (*c == '"' || *c == '\''))
				c++;
			for (k = 0; c + k < gt && k + 1 < outsz &&
			    (isalnum((unsigned char)c[k]) || c[k] == '-' ||
			    c[k] == '_' || c[k] == ':' || c[k] == '.'); k++)
				out[k] = c[k];
			out[k] = '\0';
			if (k > 0)
				return 1;
			break;
		}
		p = gt;
	}
	return 0;
}

/*
 * Whether s[0..n) has bytes above 0x7f and all of them form valid UTF-8
 * (a cut sequence at the very end is fine).
 */
static int
utf8_plausible(const unsigned char *s, size_t n)
{
	size_t		 i = 0, l;
	uint64_t	 v;
	int		 high = 0;

	while (i < n) {
		/* Eight ASCII bytes at a time. */
		if (n - i >= 8) {
			memcpy(&v, s + i, 8);
			if ((v & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		high = 1;
		if ((l = utf8_seqlen(s + i, n - i)) == 0)
			return n - i < 4 ? high : 0;
		i += l;
	}
	return high;
}

static int
is_latin(const char *enc)
{
	static const char *const names[] = {
		"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1",
		"iso_8859-1", "windows-1252", "cp1252", "x-cp1252",
		"us-ascii", "ascii", "iso-ir-100", "cp819", "ibm819", NULL
	};
	size_t	 i;

	for (i = 0; names[i] != NULL; i++)
		if (strcasecmp(enc, names[i]) == 0)
			return 1;
	return 0;
}

/*
 * Make the parser for a document that starts with s[0..n) and choose the
 * encoding: a BOM, else the HTTP charset, else a <meta> charset (unless
 * the bytes are plainly UTF-8), else UTF-8.  Latin-1 and windows-1252 we
 * decode ourselves (iconv stops the parse at bytes windows-1252 leaves
 * undefined); other encodings go to libxml2 and iconv.  The parser never
 * switches on its own afterwards, because it sees an encoder already set.
 */
static int
parser_start(struct extract *x, const unsigned char *s, size_t n)
{
	htmlSAXHandler			 sax;
	xmlCharEncodingHandlerPtr	 h = NULL;
	const char			*enc;
	char				 meta[64];

	memset(&sax, 0, sizeof(sax));
	sax.startElement = sax_start;
	sax.endElement = sax_end;
	sax.characters = sax_text;
	sax.ignorableWhitespace = sax_text;
	sax.cdataBlock = sax_text;
	sax.warning = sax_message;
	sax.error = sax_message;
	sax.fatalError = sax_message;
	sax.serror = sax_error;
	sax.initialized = XML_SAX2_MAGIC;

	x->ctxt = htmlCreatePushParserCtxt(&sax, x, NULL, 0, NULL,
	    XML_CHAR_ENCODING_NONE);
	if (x->ctxt == NULL)
		return -1;
	htmlCtxtUseOptions(x->ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER | HTML_PARSE_COMPACT |
	    HTML_PARSE_IGNORE_ENC);
	x->ctxt->replaceEntities = 1;

	if (s == NULL)
		s = (const unsigned char *)"";
	enc = find_handler_name(s, n, &x->bomskip, &x->wide);
	if (enc == NULL && x->charset != NULL)
		enc = x->charset;
	if (enc == NULL && sniff_meta((const char *)s, n, meta,
	    sizeof(meta)) && !utf8_plausible(s, n))
		enc = meta;
	if (enc == NULL || strcasecmp(enc, "utf8") == 0)
		enc = "UTF-8";
	if (x->bomskip == 0 && (has_word(enc, strlen(enc), "utf-16") ||
	    has_word(enc, strlen(enc), "utf-32") ||
	    has_word(enc, strlen(enc), "ucs")))
		x->wide = 1;
	if (is_latin(enc)) {
		x->latin = 1;
		enc = "UTF-8";
	}
	if ((h = xmlFindCharEncodingHandler(enc)) == NULL) {
		x->wide = 0;
		h = xmlFindCharEncodingHandler("UTF-8");
		enc = "UTF-8";
	}
	x->utf8 = !x->latin && strcasecmp(enc, "UTF-8") == 0;
	x->oob = (x->utf8 || x->latin) && !x->wide;
	if (x->utf8 || x->latin)
		x->ctxt->charset = XML_CHAR_ENCODING_UTF8;
	else if (h != NULL)
		xmlSwitchToEncoding(x->ctxt, h);
	return 0;
}

/* Control characters libxml2 refuses: they become spaces, as NUL does. */
static int
is_ctrl(unsigned int c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/*
 * Whether s[0..n), shorter than its lead byte says, may still become a
 * valid UTF-8 sequence.
 */
static int
utf8_prefix(const unsigned char *s, size_t n)
{
	unsigned char	 t[4];
	size_t		 need;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (n >= need)
		return 0;
	/* Complete it with the continuation bytes most leads allow. */
	memcpy(t, s, n);
	memset(t + n, 0x80, need - n);
	if (n == 1 && s[0] == 0xe0)
		t[1] = 0xa0;
	else if (n == 1 && s[0] == 0xf0)
		t[1] = 0x90;
	return utf8_seqlen(t, need) == need;
}

/*
 * Make UTF-8 p[0..n) safe for libxml2 in out: a byte that is not UTF-8
 * becomes the Latin-1 character of that value (what libxml2 does itself,
 * but not the same way in every chunking), noncharacters U+FFFE and
 * U+FFFF become U+FFFD, control characters spaces.  A sequence cut by
 * the end waits in carry[0..*ncarry) unless this is the last chunk.
 * pos[0..npos), offsets into the carry and p[] together, ascending,
 * become the offsets of the same places in out.  Returns 0, or -1 when
 * memory is short.
 */
static int
utf8_clean(struct sbuf *out, char *carry, size_t *ncarry, const char *p,
    size_t n, int last, uint64_t *pos, size_t npos)
{
	const unsigned char	*s;
	unsigned char		*q;
	size_t			 i, l, len, k = 0;

	out->len = 0;
	out->max = SIZE_MAX / 4;
	sbuf_add(out, carry, *ncarry);
	sbuf_add(out, p, n);
	*ncarry = 0;
	if (out->nomem)
		return -1;
	len = out->len;
	/* Each byte may double; work from a copy at the far end. */
	if (sbuf_grow(out, len * 3) == -1)
		return -1;
	s = (unsigned char *)out->p + len * 2;
	memmove((char *)s, out->p, len);
	q = (unsigned char *)out->p;
	for (i = 0; i < len; i += l) {
		for (; k < npos && pos[k] <= i; k++)
			pos[k] = (uint64_t)(q - (unsigned char *)out->p);
		if (s[i] < 0x80) {
			*q++ = is_ctrl(s[i]) ? ' ' : s[i];
			l = 1;
			continue;
		}
		if ((l = utf8_seqlen(s + i, len - i)) != 0) {
			if (l == 3 && s[i] == 0xef && s[i + 1] == 0xbf &&
			    s[i + 2] >= 0xbe) {
				memcpy(q, "\xef\xbf\xbd", 3);
				q += 3;
			} else {
				memcpy(q, s + i, l);
				q += l;
			}
			continue;
		}
		if (!last && len - i < 4 && utf8_prefix(s + i, len - i)) {
			*ncarry = len - i;
			memcpy(carry, s + i, *ncarry);
			break;
		}
		*q++ = (unsigned char)(0xc0 | s[i] >> 6);
		*q++ = (unsigned char)(0x80 | (s[i] & 0x3f));
		l = 1;
	}
	for (; k < npos; k++)
		pos[k] = (uint64_t)(q - (unsigned char *)out->p);
	out->len = (size_t)(q - (unsigned char *)out->p);
	return 0;
}

/* Whether UTF-8 p[0..n) needs utf8_clean(). */
static int
utf8_dirty(const char *p, size_t n)
{
	const unsigned char	*s = (const unsigned char *)p;
	size_t			 i = 0, l;
	uint64_t		 v;

	while (i < n) {
		/* Eight printable ASCII bytes at a time. */
		if (n - i >= 8) {
			memcpy(&v, s + i, 8);
			if (((v | (v - 0x2020202020202020ULL)) &
			    0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			if (is_ctrl(s[i]))
				return 1;
			i++;
			continue;
		}
		if ((l = utf8_seqlen(s + i, n - i)) == 0 || (l == 3 &&
		    s[i] == 0xef && s[i + 1] == 0xbf && s[i + 2] >= 0xbe))
			return 1;
		i += l;
	}
	return 0;
}

/* windows-1252's 0x80-0x9f; the five it leaves undefined stay C1. */
static const uint16_t cp1252[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178
};

/* Write code point c as UTF-8 at q; returns the bytes written. */
static size_t
utf8_put(unsigned char *q, unsigned int c)
{
	if (c < 0x80) {
		q[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		q[0] = (unsigned char)(0xc0 | c >> 6);
		q[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		q[0] = (unsigned char)(0xe0 | c >> 12);
		q[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		q[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	q[0] = (unsigned char)(0xf0 | c >> 18);
	q[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
	q[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
	q[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

/* Append windows-1252 p[0..n) to out, decoded into UTF-8. */
static int
latin_decode(struct sbuf *out, const char *p, size_t n)
{
	const unsigned char	*s = (const unsigned char *)p;
	unsigned char		*q;
	size_t			 i;
	unsigned int		 c;

	if (n > SIZE_MAX / 4 || sbuf_grow(out, n * 3) == -1)
		return -1;
	q = (unsigned char *)out->p + out->len;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c < 0x80) {
			*q++ = is_ctrl(c) ? ' ' : (unsigned char)c;
			continue;
		}
		if (c < 0xa0)
			c = cp1252[c - 0x80];
		q += utf8_put(q, c);
	}
	out->len = (size_t)(q - (unsigned char *)out->p);
	out->p[out->len] = '\0';
	return 0;
}

/*
 * Out-of-band text.  libxml2 reads text a character at a time, to find
 * where it ends and to decode references, and its SAX callback copies
 * it; that was a third of its time.  The skimmer keeps each run of text
 * that is not all blank and gives libxml2 one marker for it instead, a
 * character of plane 15 whose value numbers the run: libxml2 still sees
 * text there and builds the same elements around it, and sax_text()
 * takes the run back when libxml2 hands it the marker, in document
 * order.  A run never holds '<', so it decodes alone: windows-1252 or
 * UTF-8 cleaning as parser_push() does, then references as libxml2
 * 2.9.14 does (htmlParseReference()).  Other encodings go through
 * libxml2 as before.
 */

/* XML's Char production, which libxml2 checks references against. */
static int
is_xmlchar(unsigned int c)
{
	return c == 0x9 || c == 0xa || c == 0xd ||
	    (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	    (c >= 0x10000 && c <= 0x10ffff);
}

static int
is_hexdigit(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/*
 * A numeric reference at s[0..n), s[0..2) being "&#": its value (0 for
 * none, which writes nothing) and in *used the bytes it takes.  Digits
 * run to ';' or the first other byte; ';' is taken if it is there.
 */
static unsigned int
ref_number(const unsigned char *s, size_t n, size_t *used)
{
	unsigned int	 val = 0;
	size_t		 i = 2;
	int		 hex = 0, c;

	if (n > 2 && (s[2] == 'x' || s[2] == 'X')) {
		hex = 1;
		i = 3;
	}
	for (; i < n && s[i] != ';'; i++) {
		c = s[i];
		if (hex ? !is_hexdigit(c) : !(c >= '0' && c <= '9'))
			break;
		if (val < 0x110000)
			val = val * (hex ? 16 : 10) + (unsigned int)(c <= '9' ?
			    c - '0' : (c | 0x20) - 'a' + 10);
	}
	if (i < n && s[i] == ';')
		i++;
	*used = i;
	return is_xmlchar(val) ? val : 0;
}

/* Bytes of an entity name as libxml2 reads one (ASCII). */
static int
is_refname(int c, int first)
{
	if (ascii_alpha(c) || c == '_' || c == ':')
		return 1;
	return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
}

/*
 * Decode the references in p[0..n) in place (none writes more than it
 * reads); returns the new length.  A named reference decodes only when
 * libxml2 knows the name and ';' ends it; otherwise it stays as written.
 */
static size_t
ref_decode(char *p, size_t n)
{
	const htmlEntityDesc	*ent;
	unsigned char		*s = (unsigned char *)p, *q = s;
	unsigned char		 name[40];
	size_t			 i = 0, k, used;
	unsigned int		 c;

	while (i < n) {
		if (s[i] != '&') {
			*q++ = s[i++];
			continue;
		}
		if (i + 1 < n && s[i + 1] == '#') {
			c = ref_number(s + i, n - i, &used);
			if (c != 0)
				q += utf8_put(q, c);
			i += used;
			continue;
		}
		for (k = i + 1; k < n && is_refname(s[k], k == i + 1); k++)
			;
		ent = NULL;
		if (k < n && s[k] == ';' && k - i - 1 < sizeof(name)) {
			memcpy(name, s + i + 1, k - i - 1);
			name[k - i - 1] = '\0';
			ent = htmlEntityLookup(name);
		}
		if (ent == NULL || ent->value == 0) {
			*q++ = s[i++];
			continue;
		}
		q += utf8_put(q, ent->value);
		i = k + 1;
	}
	return (size_t)(q - s);
}

/* Give text_add() run r, decoded. */
static void
oob_text(struct extract *x, const struct oobrun *r)
{
	const char	*p = x->oobtext.p + r->off;
	size_t		 n = r->len, none = 0;
	char		 carry[4];
	int		 rc = 0;

	if (!text_wanted(x))
		return;
	x->oobuf.len = 0;
	if (x->latin)
		rc = latin_decode(&x->oobuf, p, n);
	else if (utf8_dirty(p, n))
		rc = utf8_clean(&x->oobuf, carry, &none, p, n, 1, NULL, 0);
	else if (!r->raw && memchr(p, '&', n) != NULL) {
		sbuf_add(&x->oobuf, p, n);
		rc = x->oobuf.nomem ? -1 : 0;
	} else {
		text_add(x, (const xmlChar *)p, n);
		return;
	}
	if (rc == -1) {
		x->nomem = 1;
		return;
	}
	if (!r->raw && memchr(x->oobuf.p, '&', x->oobuf.len) != NULL)
		x->oobuf.len = ref_decode(x->oobuf.p, x->oobuf.len);
	text_add(x, (const xmlChar *)x->oobuf.p, x->oobuf.len);
}

/* Whether run seq waits for libxml2 to pass its marker. */
static int
oob_waits(struct extract *x, unsigned int seq)
{
	size_t	 i;

	for (i = x->runhead; i < x->nruns; i++)
		if (x->runs[i].seq == seq)
			return 1;
	return 0;
}

/*
 * libxml2 passed the marker of run seq: take it.  Runs before it that
 * libxml2 dropped (text where it keeps none) go.
 */
static void
oob_take(struct extract *x, unsigned int seq)
{
	struct oobrun	*r;
	const char	*p, *e;

	while (x->runhead < x->nruns) {
		r = &x->runs[x->runhead++];
		if (r->seq != seq)
			continue;
		/*
		 * After the document's end (</html> closing it) libxml2
		 * keeps text only up to a reference or '<', and there ends
		 * the parse: so does a run.
		 */
		if (x->ctxt->instate == XML_PARSER_EPILOG && !r->raw) {
			p = x->oobtext.p + r->off;
			e = p + r->len;
			for (; p < e && *p != '&' && *p != '<'; p++)
				;
			if (p < e) {
				r->len = (size_t)(p - (x->oobtext.p + r->off));
				x->ended = 1;
			}
		}
		oob_text(x, r);
		return;
	}
}

/* Whether p[0..n) holds a control byte is_ctrl() names. */
static int
has_ctrl(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (is_ctrl((unsigned char)p[i]))
			return 1;
	return 0;
}

/*
 * Give bytes to libxml2: UTF-8 cleaned; in other encodings (but UTF-16
 * and UTF-32, where NUL is data) NULs and other control bytes made
 * spaces, as utf8_clean() makes them: libxml2 stops at a NUL, and the
 * skimmer takes them all for blanks.  windows-1252 the skimmer has
 * decoded.
 */
static int
parser_push(struct extract *x, const char *p, size_t n, int end)
{
	const char	*q;
	size_t		 i, k, part, qn;
	uint64_t	 sbase = x->spush;
	int		 last;

	if (x->halted)
		return 0;
	x->spush += n;
	if (x->bomskip > 0 && n > 0) {
		i = n < x->bomskip ? n : x->bomskip;
		p += i;
		n -= i;
		x->bomskip -= i;
		sbase += i;
	}
	while (n > 0 || end) {
		part = n > (1 << 28) ? (1 << 28) : n;
		last = end && part == n;
		q = p;
		qn = part;
		/*
		 * The blanks noted in this part, in skimmed bytes.  None
		 * lies before it (see blank_tag()); were one to, it would
		 * go at its start.  One at its end, before the '<' of a tag
		 * the chunk cut, waits for the next part: libxml2 cannot
		 * read past it before, and the tag may yet be taken back
		 * (tag_takeback()).
		 */
		for (k = x->btrans; k < x->nblanks &&
		    (x->blanks[k] < sbase + part ||
		    (last && x->blanks[k] == sbase + part)); k++)
			if (x->blanks[k] < sbase)
				x->blanks[k] = sbase;
		if (x->utf8 && (x->ncarry > 0 || (part > 0 &&
		    utf8_dirty(p, part)))) {
			for (i = x->btrans; i < k; i++)
				x->blanks[i] = x->blanks[i] - sbase + x->ncarry;
			if (utf8_clean(&x->scratch, x->carry, &x->ncarry, p,
			    part, last, k > x->btrans ? x->blanks + x->btrans :
			    NULL, k - x->btrans) == -1)
				return -1;
			q = x->scratch.p;
			qn = x->scratch.len;
		} else {
			for (i = x->btrans; i < k; i++)
				x->blanks[i] -= sbase;
		}
		/* Now where libxml2 will be at them. */
		for (; x->btrans < k; x->btrans++)
			x->blanks[x->btrans] += x->lpush;
		if (!x->utf8 && !x->latin && !x->wide && part > 0 &&
		    has_ctrl(p, part)) {
			x->scratch.len = 0;
			x->scratch.max = SIZE_MAX / 4;
			sbuf_add(&x->scratch, p, part);
			if (x->scratch.nomem)
				return -1;
			q = x->scratch.p;
			for (i = 0; i < qn; i++)
				if (is_ctrl((unsigned char)x->scratch.p[i]))
					x->scratch.p[i] = ' ';
		}
		htmlParseChunk(x->ctxt, q, (int)qn, last);
		x->lpush += qn;
		if (last)
			break;
		p += part;
		n -= part;
		sbase += part;
	}
	return x->nomem ? -1 : 0;
}

/*
 * How many bytes at the end of p could be the start of a </script> or
 * </style> end tag cut before its '>'.  libxml2 2.9.14's push parser loses
 * such an end tag when a chunk ends inside it, and then takes the rest of
 * the document for script text.
 */
static size_t
holdback(const char *p, size_t n)
{
	const char	*lt, *t;
	size_t		 from, tl, k;

	from = n > HOLD_MAX ? n - HOLD_MAX : 0;
	lt = memrchr(p + from, '<', n - from);
	if (lt == NULL)
		return 0;
	t = lt;
	tl = (size_t)(p + n - lt);
	if (tl == 1)
		return 1;
	if (t[1] != '/')
		return 0;
	if (memchr(t, '>', tl) != NULL)
		return 0;
	k = tl - 2;
	if (ascii_casencmp(t + 2, "script", k < 6 ? k : 6) == 0 ||
	    ascii_casencmp(t + 2, "style", k < 5 ? k : 5) == 0)
		return tl;
	return 0;
}

static int	 feed(struct extract *, const char *, size_t);
static int	 skim(struct extract *, const char *, size_t);
static int	 skim_piece(struct extract *, const char *, size_t, size_t *);
static int	 wide_feed(struct extract *, const char *, size_t);

/*
 * The skimmer.  libxml2 reads script and style contents, comments and
 * attribute values a character at a time, and most of a page's bytes
 * are there: script and style alone are 40-55 %.  Extraction needs
 * none of it but a few attributes.  A small tokenizer that follows
 * libxml2's view of tags, quoted values and comments passes libxml2 the
 * page without comments, with empty script and style elements (JSON-LD
 * scripts pass whole) and with only the attributes sax_start() reads.
 * Its state lives in struct extract, so chunks may be cut anywhere.
 */
enum lex {
	L_DATA,		/* text */
	L_LT,		/* after '<', not yet passed on */
	L_BANG,		/* after "<!", lexn dashes, not yet passed on */
	L_COMMENT,	/* in <!-- -->, lexn dashes just seen */
	L_NAME,		/* in a tag name, lexn bytes */
	L_TAG,		/* in a tag, between attributes */
	L_ATTR,		/* in an attribute name, attrn bytes */
	L_AFTER,	/* after an attribute name */
	L_TAGEQ,	/* after '=' in a tag */
	L_QUOTE,	/* in a quoted value, lexq the quote */
	L_UNQUOTED,	/* in an unquoted value */
	L_RAW,		/* in script or style text, lexn of "</name" */
	L_DECL,		/* in <!DOCTYPE ...> or <?...?>, dropped */
	L_JUNK		/* in bytes of a tag that start no attribute */
};

#define ATTR_MAX	16		/* bytes of an attribute name kept */

static const char *const raw_end[3] = { "", "</script", "</style" };

/* Follow "ld+json" through the bytes of a script tag. */
static void
skim_ld(struct extract *x, const char *s, size_t n)
{
	static const char	 pat[] = "ld+json";
	size_t			 i;

	for (i = 0; i < n && x->ldmatch < 7; i++) {
		if (ascii_lower((unsigned char)s[i]) == pat[x->ldmatch])
			x->ldmatch++;
		else
			x->ldmatch = s[i] == 'l' || s[i] == 'L';
	}
}

/* Bytes of tag and attribute names, as libxml2 reads them. */
static const unsigned char namechar[256] = {
	['-'] = 1, ['.'] = 1, [':'] = 1, ['_'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
	['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
};

static int
is_namechar(int c)
{
	return namechar[c & 0xff];
}

/* Whether sax_start() reads attribute a (lowercase) of the current tag. */
static int
attr_wanted(struct extract *x, const char *a, size_t n)
{
	const char	*t = x->lexname;
	size_t		 tn = (size_t)x->lexn;

	/* Every element: class, id, role, hidden, aria-hidden, style. */
	switch (n) {
	case 2:
		if (memcmp(a, "id", 2) == 0)
			return 1;
		break;
	case 4:
		if (memcmp(a, "role", 4) == 0)
			return 1;
		break;
	case 5:
		if (memcmp(a, "class", 5) == 0 || memcmp(a, "style", 5) == 0)
			return 1;
		break;
	case 6:
		if (memcmp(a, "hidden", 6) == 0)
			return 1;
		break;
	case 11:
		if (memcmp(a, "aria-hidden", 11) == 0)
			return 1;
		break;
	default:
		break;
	}
	if (tn == 4 && memcmp(t, "meta", 4) == 0)
		return (n == 7 && memcmp(a, "content", 7) == 0) ||
		    (n == 4 && memcmp(a, "name", 4) == 0) ||
		    (n == 8 && memcmp(a, "property", 8) == 0) ||
		    (n == 10 && memcmp(a, "http-equiv", 10) == 0) ||
		    (n == 8 && memcmp(a, "itemprop", 8) == 0) ||
		    (n == 7 && memcmp(a, "charset", 7) == 0);
	if (tn == 4 && memcmp(t, "link", 4) == 0)
		return (n == 3 && memcmp(a, "rel", 3) == 0) ||
		    (n == 4 && memcmp(a, "href", 4) == 0);
	if (tn == 4 && memcmp(t, "html", 4) == 0)
		return n == 4 && memcmp(a, "lang", 4) == 0;
	if (tn == 6 && memcmp(t, "script", 6) == 0)
		return n == 4 && memcmp(a, "type", 4) == 0;
	return 0;
}

/* Pass bytes of the page on to libxml2, decoded if windows-1252. */
static inline void
skim_out(struct extract *x, const char *p, size_t n)
{
	if (x->dropping)
		return;
	if (!x->latin)
		sbuf_add(&x->skimbuf, p, n);
	else if (latin_decode(&x->skimbuf, p, n) == -1)
		x->skimbuf.nomem = 1;
}

/*
 * Pass text on with each run of whitespace made one byte: libxml2 then
 * reads less, and the text is collapsed later anyway.
 */
static void
skim_text(struct extract *x, const char *s, size_t n)
{
	const char	*end = s + n, *run = s, *t;

	if (n == 0)
		return;
	/*
	 * Text on both sides of a comment or another construct dropped
	 * would join into one for libxml2, and a reference left open
	 * before would take in what follows: an empty comment keeps them
	 * apart, as the dropped bytes did.  (Out-of-band runs end at any
	 * '<' already.)
	 */
	if (x->textgap && x->refopen)
		skim_out(x, "<!---->", 7);
	x->textgap = 0;
	for (t = end; t > s && (is_namechar((unsigned char)t[-1]) ||
	    t[-1] == '#' || (unsigned char)t[-1] >= 0x80); t--)
		;
	x->refopen = t > s ? t[-1] == '&' : x->refopen;
	/* A space right after the last one passed on. */
	if (x->wsprev && is_space((unsigned char)*s)) {
		while (s < end && is_space((unsigned char)*s))
			s++;
		run = s;
	}
	while (s < end) {
		if (!is_space((unsigned char)*s++))
			continue;
		if (s == end || !is_space((unsigned char)*s))
			continue;
		/* A run: keep its first byte, drop the rest. */
		skim_out(x, run, (size_t)(s - run));
		while (s < end && is_space((unsigned char)*s))
			s++;
		run = s;
	}
	skim_out(x, run, (size_t)(end - run));
	x->wsprev = is_space((unsigned char)end[-1]);
}

/*
 * A blank run ended and what follows decides: a tag libxml2 gets notes
 * the blank at the tag's '<' (blank_tag()); text gets the blank itself
 * in front of it (blank_flush()), for libxml2 would hand both over in
 * one call.
 */
static void
blank_flush(struct extract *x)
{
	if (x->blankpend) {
		x->blankpend = 0;
		skim_out(x, " ", 1);
	}
}

/*
 * Note the blank run before the tag whose '<' is being passed on.  It is
 * noted at the '<', in the same push as the '<' (libxml2 reads the tag
 * only once its '>' comes, maybe a push later, and the blank goes before
 * it); if the skimmer takes the tag back, see tag_takeback().
 */
static void
blank_tag(struct extract *x)
{
	uint64_t	*b;
	size_t		 ncap;

	if (!x->blankpend || x->dropping)
		return;
	if (x->nblanks == x->capblanks) {
		ncap = x->capblanks ? x->capblanks * 2 : 256;
		if ((b = reallocarray(x->blanks, ncap, sizeof(*b))) == NULL) {
			x->nomem = 1;
			return;
		}
		x->blanks = b;
		x->capblanks = ncap;
	}
	x->blankpend = 0;
	x->blanks[x->nblanks++] = x->tagpos;
}

/*
 * Take back the tag at tagoff: libxml2 is not to see it.  A blank noted
 * at its '<' is pending again, for what follows to place as if the tag
 * had not been there: text that follows takes it in front (libxml2 keeps
 * a blank between two elements it drops, as in "a<script></script>
 * <script></script>b").
 */
static void
tag_takeback(struct extract *x)
{
	x->skimbuf.len = x->tagoff;
	x->skimbuf.p[x->tagoff] = '\0';
	if (x->tagnoted && x->nblanks > x->btrans &&
	    x->blanks[x->nblanks - 1] == x->tagpos) {
		x->nblanks--;
		x->blankpend = 1;
	}
	x->tagnoted = 0;
}

/* Queue the run of n bytes at x->oobstart and pass its marker on. */
static void
oob_mark(struct extract *x, size_t n, int raw)
{
	unsigned char	 mark[4];
	struct oobrun	*r;

	if (x->nruns == x->capruns) {
		size_t	 ncap = x->capruns ? x->capruns * 2 : 64;

		if ((r = reallocarray(x->runs, ncap, sizeof(*r))) == NULL) {
			x->nomem = 1;
			return;
		}
		x->runs = r;
		x->capruns = ncap;
	}
	/* Runs libxml2 dropped are not waited for past OOB_RUNS. */
	if (x->nruns - x->runhead >= OOB_RUNS)
		x->runhead++;
	r = &x->runs[x->nruns++];
	r->off = x->oobstart;
	r->len = n;
	r->seq = x->oobseq;
	r->raw = (uint8_t)raw;
	/* U+F0000 + seq: OOB_LEAD, then 0xb0 | seq >> 12, ... */
	sbuf_add(&x->skimbuf, (const char *)mark,
	    utf8_put(mark, 0xf0000 + x->oobseq));
	x->lastseq = x->oobseq;
	x->lastend = x->sfed + x->skimbuf.len;
	x->oobseq = (uint16_t)((x->oobseq + 1) % OOB_SEQS);
}

/*
 * The text run being collected ends: give libxml2 its marker, or the
 * run itself if it is all blank (libxml2 drops some blanks, and a
 * marker would not be blank).
 */
static void
oob_close(struct extract *x, int eof)
{
	const char	*t = x->oobtext.p + x->oobstart;
	size_t		 n = x->oobtext.len - x->oobstart;
	int		 prev;

	x->oobopen = 0;
	if (!x->oobword) {
		/* At the end nothing follows: libxml2 gets the blank. */
		if (eof) {
			blank_flush(x);
			skim_text(x, t, n);
		} else if (!x->wsprev)
			x->blankpend = 1;
		x->oobtext.len = x->oobstart;
		return;
	}
	blank_flush(x);
	/*
	 * After </html> libxml2 keeps text only if it starts with a
	 * blank: there a leading blank stays in front of the marker (and
	 * see oob_take()).
	 */
	if (x->pasthtml && is_space((unsigned char)t[0]) && !x->wsprev)
		skim_out(x, t, 1);
	/*
	 * Whether libxml2 would start reading text at this run: after a
	 * tag (1), or at the start, where it skips blanks first (2).
	 */
	prev = x->skimbuf.len > 0 ?
	    (unsigned char)x->skimbuf.p[x->skimbuf.len - 1] : x->lastbyte;
	x->lastfirst = x->sfed + x->skimbuf.len == 0 ? 2 : prev == '>';
	oob_mark(x, n, 0);
	x->wsprev = 0;
}

/*
 * The text of a JSON-LD script, x->oobtext from x->oobstart on, is read:
 * its marker goes where the text was, and sax_text() takes it back as
 * libxml2 would have handed it over (no references in script text).
 * libxml2 reads script text a character at a time.  At the end of the
 * page the bytes of a "</script" cut short are text too, as to libxml2.
 */
static void
ld_close(struct extract *x, int eof)
{
	if (eof)
		sbuf_add(&x->oobtext, x->ldheld, (size_t)x->lexn);
	x->ldgrab = 0;
	x->oobopen = 0;
	x->lastfirst = 0;
	if (x->oobtext.len > x->oobstart)
		oob_mark(x, x->oobtext.len - x->oobstart, 1);
}

/*
 * Text s..q of a run, which ends at q if closed.  Most runs between
 * tags are a few blanks: those pass at once as skim_text() would pass
 * them, one byte.
 */
static void
skim_run(struct extract *x, const char *s, const char *q, int closed)
{
	const char	*t = s;

	if (x->dropping)
		return;
	if (!x->oobopen) {
		while (t < q && is_space((unsigned char)*t))
			t++;
		if (t == q && closed) {
			if (s < q && !x->wsprev)
				x->blankpend = 1;
			return;
		}
		if (s == q)
			return;
		x->oobopen = 1;
		x->oobword = 0;
		x->oobstart = x->oobtext.len;
	}
	if (!x->oobword) {
		while (t < q && is_space((unsigned char)*t))
			t++;
		x->oobword = t < q;
	}
	sbuf_add(&x->oobtext, s, (size_t)(q - s));
	if (closed)
		oob_close(x, 0);
}

/*
 * libxml2 drops a '&' that is the last byte of the page when it begins
 * a text (with one byte left it waits for more, and then the page ends;
 * after other text it reads it as text), blanks before it included where
 * it skips them, at the start: so does a run that is that '&'.
 */
static void
oob_last_amp(struct extract *x)
{
	struct oobrun	*r;
	const char	*p;
	size_t		 n;

	/* Only if that run's marker was the last thing passed on. */
	if (!x->oob || x->sfed != x->lastend || x->runhead == x->nruns)
		return;
	r = &x->runs[x->nruns - 1];
	if (r->seq != x->lastseq || !x->lastfirst)
		return;
	p = x->oobtext.p + r->off;
	n = r->len;
	if (x->lastfirst == 2)
		for (; n > 1 && is_space((unsigned char)*p); n--)
			p++;
	if (n == 1 && *p == '&')
		r->len = 0;
}

/* Before a chunk: the runs libxml2 has taken go, and their bytes. */
static void
oob_compact(struct extract *x)
{
	size_t	 from, i;

	if (x->runhead < x->nruns)
		from = x->runs[x->runhead].off;
	else
		from = x->oobopen ? x->oobstart : x->oobtext.len;
	if (from == 0)
		return;
	memmove(x->runs, x->runs + x->runhead,
	    (x->nruns - x->runhead) * sizeof(*x->runs));
	x->nruns -= x->runhead;
	x->runhead = 0;
	for (i = 0; i < x->nruns; i++)
		x->runs[i].off -= from;
	memmove(x->oobtext.p, x->oobtext.p + from, x->oobtext.len - from);
	x->oobtext.len -= from;
	if (x->oobopen)
		x->oobstart -= from;
}

/*
 * The blanks libxml2 sees in a tag: its own four, and the NUL and other
 * control bytes parser_push() turns into spaces before it sees them.
 */
static int
is_tagblank(int c)
{
	return c <= ' ';
}

/*
 * Pass on the blank held back in a tag, after the bytes from *start on,
 * before something that needs it.
 */
static void
skim_blank(struct extract *x, const char **start, const char *s)
{
	if (!x->tagblank)
		return;
	if (*start != NULL) {
		skim_out(x, *start, (size_t)(s - *start));
		*start = s;
	}
	skim_out(x, " ", 1);
	x->tagblank = 0;
}

/*
 * Follow the head: in it (1) from <head> until a start tag that does not
 * belong there or </head> (2).
 */
static void
skim_head(struct extract *x)
{
	static const char *const inhead[] = {
		"meta", "link", "title", "script", "style", "base",
		"noscript", "template", NULL
	};
	const char	*t = x->lexname;
	size_t		 tn = (size_t)x->lexn, k;

	if (tn == 4 && memcmp(t, "head", 4) == 0) {
		if (x->lexend || x->headstate == 1)
			x->headstate = 2;
		else if (x->headstate == 0)
			x->headstate = 1;
		return;
	}
	if (x->headstate != 1 || x->lexend)
		return;
	for (k = 0; inhead[k] != NULL; k++)
		if (strlen(inhead[k]) == tn && memcmp(t, inhead[k], tn) == 0)
			return;
	x->headstate = 2;
}

/*
 * Whether the <meta> or <link> just passed on, in the head, is one that
 * meta_element() or link_element() reads: libxml2 reads attribute values
 * a character at a time, and most of a head's are icon, stylesheet and
 * social-card URLs.  In the head these empty elements shape nothing.
 */
static int
skim_headtag_used(struct extract *x)
{
	static const char *const used[] = {
		"descr", "title", "date", "publish", "language", NULL
	};
	const char	*t = x->skimbuf.p + x->tagoff;
	size_t		 n = x->skimbuf.len - x->tagoff, k;
	char		 low[1024];

	/* Most are short: lowercase once, then memmem() each word. */
	if (n <= sizeof(low)) {
		for (k = 0; k < n; k++)
			low[k] = (char)ascii_lower((unsigned char)t[k]);
		t = low;
	}
	if (memcmp(x->lexname, "link", 4) == 0)
		return t == low ? memmem(low, n, "canonical", 9) != NULL :
		    has_word(t, n, "canonical");
	for (k = 0; used[k] != NULL; k++)
		if (t == low ? memmem(low, n, used[k], strlen(used[k])) !=
		    NULL : has_word(t, n, used[k]))
			return 1;
	return 0;
}

/* Append s[0..n) to buf (of size sz, *len used), room for a NUL kept. */
static void
value_add(char *buf, size_t sz, size_t *len, const char *s, size_t n)
{
	if (n > sz - 1 - *len)
		n = sz - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
}

/*
 * Pass on bytes of an unquoted value, which the skimmer puts in double
 * quotes, with '"' as a reference.  libxml2 reads the value the same
 * either way, but before it reads a tag it looks for its '>' outside
 * quotes, and a quote in an unquoted value sends that look-ahead past
 * the tag's end: libxml2 then reads the tag before its '>' has come, or
 * not, as the chunks fall.
 */
static void
skim_quoted(struct extract *x, const char *p, size_t n)
{
	const char	*q;

	while ((q = memchr(p, '"', n)) != NULL) {
		skim_out(x, p, (size_t)(q - p));
		skim_out(x, "&quot;", 6);
		n -= (size_t)(q + 1 - p);
		p = q + 1;
	}
	skim_out(x, p, n);
}

/* Collect the value of a class or id attribute. */
static void
skim_value(struct extract *x, const char *s, size_t n)
{
	value_add(x->attrval, sizeof(x->attrval), &x->attrvn, s, n);
}

/*
 * The hints of the class or id value collected: with out-of-band text,
 * noted for the tag (see tag_note()); else passed on instead of the
 * value, as name="hints", which sax_start() reads back with
 * hints_value().  libxml2 reads values a character at a time, and
 * utility-class lists are long.  A value with no hints does not pass at
 * all, which sax_start() cannot tell from hints 0.
 */
static void
skim_hints(struct extract *x)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 code[ATTR_MAX + 9];
	unsigned int		 f;
	size_t			 n;
	int			 sh;

	x->attrval[x->attrvn] = '\0';
	if ((f = hints_cached(x->attrval, x->attrvn)) == 0)
		return;
	if (x->oob) {
		x->tagflags |= f;
		return;
	}
	n = 0;
	if (x->tagblank)
		code[n++] = ' ';
	x->tagblank = 0;
	memcpy(code + n, x->attrname, (size_t)x->attrn);
	n += (size_t)x->attrn;
	code[n++] = '=';
	code[n++] = '"';
	/* As "%x" would print it, without snprintf's cost. */
	for (sh = 12; sh > 0 && (f >> sh) == 0; sh -= 4)
		;
	for (; sh >= 0; sh -= 4)
		code[n++] = hex[(f >> sh) & 0xf];
	code[n++] = '"';
	skim_out(x, code, n);
}

/*
 * A start tag was passed on: queue its hints for tag_take().  When
 * libxml2 has stopped taking them (it reads no more of a page after some
 * errors), they stop at NOTES_MAX.
 */
static void
tag_note(struct extract *x)
{
	struct tagnote	*r;
	size_t		 ncap;

	if (!x->oob || x->lexend || x->dropping || x->lexn == 0 ||
	    x->nnotes - x->notehead >= NOTES_MAX)
		return;
	if (x->notehead == x->nnotes)
		x->notehead = x->nnotes = 0;
	if (x->nnotes == x->capnotes) {
		if (x->notehead > 0) {
			memmove(x->notes, x->notes + x->notehead,
			    (x->nnotes - x->notehead) * sizeof(*r));
			x->nnotes -= x->notehead;
			x->notehead = 0;
		} else {
			ncap = x->capnotes ? x->capnotes * 2 : 256;
			if ((r = reallocarray(x->notes, ncap,
			    sizeof(*r))) == NULL) {
				x->nomem = 1;
				return;
			}
			x->notes = r;
			x->capnotes = ncap;
		}
	}
	r = &x->notes[x->nnotes++];
	r->key = name_key(x->lexname, (size_t)x->lexn);
	r->flags = (uint16_t)x->tagflags;
	r->hide = (uint8_t)x->taghidden;
}

/*
 * Dropping subtrees.  Extraction skips whatever is inside <svg>,
 * <select>, <button>, <template>, ... and inside elements their
 * attributes hide, but libxml2 costs as much per tag there as anywhere.
 * After such an element's start tag the skimmer passes nothing on until
 * libxml2 would end it, following libxml2's own rules: a start tag ends
 * the open elements htmlAutoCloseTag() says it ends; an end tag ends the
 * innermost element of its name unless one with a higher priority is
 * open inside it (htmlAutoCloseOnClose()); an end tag of no element
 * opened inside, or <html>, <head> or <body>, goes to libxml2, which
 * knows the rest.  The names opened inside are kept in x->dropname.
 */

/* libxml2 2.9.14's end-tag priorities (htmlEndPriority). */
static int
end_priority(const char *name)
{
	static const struct {
		const char	*name;
		int		 prio;
	} prio[] = {
		{ "div", 150 }, { "td", 160 }, { "th", 160 }, { "tr", 170 },
		{ "thead", 180 }, { "tbody", 180 }, { "tfoot", 180 },
		{ "table", 190 }, { "head", 200 }, { "body", 200 },
		{ "html", 220 }
	};
	size_t	 i;

	for (i = 0; i < sizeof(prio) / sizeof(prio[0]); i++)
		if (strcmp(name, prio[i].name) == 0)
			return prio[i].prio;
	return 100;
}

/*
 * Whether libxml2 ends open element `open` when start tag `tag` comes.
 * htmlAutoCloseTag() answers for two different names; the elements a
 * start tag of their own name ends are listed here, as libxml2 2.9.14
 * ends them (test_extract checks the list against the libxml2 it runs
 * with).
 */
static const char *const self_closing[] = {
	"a", "col", "colgroup", "form", "li", "option", "p", "tbody", "td",
	"th", "tr", NULL
};

static int
start_closes(const char *tag, const char *open)
{
	xmlNode	 node;
	size_t	 i;

	if (strcmp(tag, open) == 0) {
		for (i = 0; self_closing[i] != NULL; i++)
			if (strcmp(tag, self_closing[i]) == 0)
				return 1;
		return 0;
	}
	memset(&node, 0, sizeof(node));
	node.type = XML_ELEMENT_NODE;
	node.name = (const xmlChar *)tag;
	return htmlAutoCloseTag(NULL, (const xmlChar *)open, &node);
}

/* Whether libxml2 ends element name as soon as it starts (<br>, ...). */
static int
is_void(const char *name)
{
	const htmlElemDesc	*d = htmlTagLookup((const xmlChar *)name);

	return d != NULL && d->empty;
}

/* The skipped kinds (tags[] K_SKIP) that hold more than themselves. */
static int
drop_root(const char *t, int n)
{
	switch (n) {
	case 3:
		return memcmp(t, "svg", 3) == 0;
	case 4:
		return memcmp(t, "math", 4) == 0;
	case 5:
		return memcmp(t, "video", 5) == 0 ||
		    memcmp(t, "audio", 5) == 0;
	case 6:
		return memcmp(t, "select", 6) == 0 ||
		    memcmp(t, "button", 6) == 0 ||
		    memcmp(t, "iframe", 6) == 0 ||
		    memcmp(t, "object", 6) == 0 ||
		    memcmp(t, "canvas", 6) == 0 ||
		    memcmp(t, "option", 6) == 0;
	case 8:
		return memcmp(t, "template", 8) == 0 ||
		    memcmp(t, "textarea", 8) == 0;
	default:
		return 0;
	}
}

/* Elements that hidden attributes do not make a dropped subtree. */
static int
drop_never(const char *name)
{
	static const char *const never[] = {
		"html", "head", "body", "title", "meta", "link", "base",
		"script", "style", NULL
	};
	size_t	 i;

	for (i = 0; never[i] != NULL; i++)
		if (strcmp(name, never[i]) == 0)
			return 1;
	return 0;
}

/* The tag name being read, NUL-terminated in buf. */
static const char *
lex_name(struct extract *x, char *buf)
{
	size_t	 n = x->lexn < LEXNAME_MAX ? (size_t)x->lexn : LEXNAME_MAX;

	memcpy(buf, x->lexname, n);
	buf[n] = '\0';
	return buf;
}

/* Stop dropping at the tag whose name was just read: it passes. */
static void
drop_leave(struct extract *x, const char **start, const char *s)
{
	char	 name[LEXNAME_MAX + 1];

	x->dropping = 0;
	x->dropn = 0;
	x->tagpos = x->sfed + x->skimbuf.len;
	x->tagoff = x->skimbuf.len;
	x->tagvalid = 1;
	skim_out(x, x->lexend ? "</" : "<", x->lexend ? 2 : 1);
	lex_name(x, name);
	skim_out(x, name, strlen(name));
	*start = s;
}

/* A tag name was read while dropping: whether it ends the drop. */
static void
skim_drop_tag(struct extract *x, const char **start, const char *s)
{
	char	 name[LEXNAME_MAX + 1];
	size_t	 i;
	int	 prio;

	x->droppush = 0;
	/* A name too long to keep is no element libxml2 knows. */
	if (x->lexn > LEXNAME_MAX)
		return;
	lex_name(x, name);
	if (strcmp(name, "html") == 0 || strcmp(name, "head") == 0 ||
	    strcmp(name, "body") == 0) {
		drop_leave(x, start, s);
		return;
	}
	if (!x->lexend) {
		while (x->dropn > 0 &&
		    start_closes(name, x->dropname[x->dropn - 1]))
			if (--x->dropn == 0) {
				drop_leave(x, start, s);
				return;
			}
		x->droppush = x->rawtag == 0;
		return;
	}
	prio = end_priority(name);
	for (i = x->dropn; i-- > 1;) {
		if (strcmp(x->dropname[i], name) == 0) {
			x->dropn = i;
			return;
		}
		if (end_priority(x->dropname[i]) > prio)
			return;
	}
	/* The root's end tag, an outer element's or a stray one. */
	drop_leave(x, start, s);
}

/*
 * At the '>' of a start tag (s just past it): while dropping, keep its
 * name if it stays open; else begin dropping after it if extraction
 * skips it.
 */
static void
skim_drop_open(struct extract *x, const char **start, const char *s)
{
	char	 name[LEXNAME_MAX + 1];

	if (x->dropping) {
		if (x->droppush && !x->tagslash && x->dropn < DROP_MAX &&
		    !is_void(lex_name(x, name)))
			memcpy(x->dropname[x->dropn++], name, sizeof(name));
		return;
	}
	if (x->tagslash || x->lexn > LEXNAME_MAX ||
	    !(x->dropcand || x->taghidden))
		return;
	lex_name(x, name);
	if ((!x->dropcand && drop_never(name)) || is_void(name))
		return;
	/* The start tag passes whole. */
	if (*start != NULL)
		skim_out(x, *start, (size_t)(s - *start));
	*start = s;
	x->dropping = 1;
	x->dropn = 1;
	memcpy(x->dropname[0], name, sizeof(name));
}

#define ATTR_CLASS	0x01	/* attributes seen in a tag */
#define ATTR_ID		0x02
#define ATTR_ARIA	0x04
#define ATTR_STYLE	0x08
#define ATTR_ROLE	0x10

/*
 * An attribute wanted by name: hidden hides the element, and the value
 * of the first aria-hidden or style is looked at (libxml2 keeps only the
 * first of a name).  With out-of-band text these and role do not pass
 * (the attribute is kept, 3): the skimmer reads them for tag_note(), but
 * hands a value with a reference to libxml2 to decode (skim_watch_end()).
 */
static void
skim_watch_name(struct extract *x)
{
	if (x->lexend)
		return;
	if (x->attrn == 6 && memcmp(x->attrname, "hidden", 6) == 0) {
		x->taghidden = 1;
		if (x->oob)
			x->attrkeep = 3;
	} else if (x->attrn == 11 && memcmp(x->attrname, "aria-hidden",
	    11) == 0) {
		if (!(x->attrseen & ATTR_ARIA))
			x->watch = 1;
		else if (x->oob)
			x->attrkeep = 0;
		x->attrseen |= ATTR_ARIA;
	} else if (x->attrn == 5 && memcmp(x->attrname, "style", 5) == 0) {
		if (!(x->attrseen & ATTR_STYLE))
			x->watch = 2;
		else if (x->oob)
			x->attrkeep = 0;
		x->attrseen |= ATTR_STYLE;
	} else if (x->attrn == 4 && memcmp(x->attrname, "role", 4) == 0 &&
	    x->oob) {
		if (!(x->attrseen & ATTR_ROLE))
			x->watch = 3;
		else
			x->attrkeep = 0;
		x->attrseen |= ATTR_ROLE;
	}
	if (x->watch && x->oob)
		x->attrkeep = 3;
}

/* Collect the value of an aria-hidden or style attribute. */
static void
skim_watch(struct extract *x, const char *s, size_t n)
{
	if (memchr(s, '&', n) != NULL)
		x->watchamp = 1;
	value_add(x->watchval, sizeof(x->watchval), &x->watchn, s, n);
}

/*
 * The value collected is whole: whether it hides the element as
 * attrs_scan() will find (a reference makes it unknown: no), or whether
 * a role says boilerplate.  A value with a reference, not passed on,
 * goes to libxml2 now, as name=value in its quotes q (0: none, then in
 * double quotes: see skim_quoted()), and
 * attrs_scan() reads it: references in values are libxml2's to decode.
 * (Past WATCH_MAX bytes such a value is cut; attrs_scan() looks at no
 * more of a style either.)
 */
static void
skim_watch_end(struct extract *x, int q)
{
	char	 qs[1];

	x->watchval[x->watchn] = '\0';
	if (x->watchamp) {
		if (x->attrkeep == 3) {
			qs[0] = q != 0 ? (char)q : '"';
			skim_out(x, " ", 1);
			skim_out(x, x->attrname, (size_t)x->attrn);
			skim_out(x, "=", 1);
			skim_out(x, qs, 1);
			if (q != 0)
				skim_out(x, x->watchval, x->watchn);
			else
				skim_quoted(x, x->watchval, x->watchn);
			skim_out(x, qs, 1);
			x->tagblank = 0;
		}
	} else if (x->watch == 3) {
		if (role_boilerplate(x->watchval))
			x->tagflags |= N_UNL | N_NEG;
	} else if (x->watch == 1 ? strcasecmp(x->watchval, "true") == 0 :
	    style_hides(x->watchval))
		x->taghidden = 1;
	x->watch = 0;
}

/*
 * Skim p[0..n) and feed libxml2 what passes, in pieces: what waits for
 * libxml2 (tag notes, runs) stays small, and a piece ends early where
 * skim_piece() needs libxml2's depth.
 */
static int
skim(struct extract *x, const char *p, size_t n)
{
	size_t	 used;

	if (x->wide)
		return wide_feed(x, p, n);
	while (n > 0) {
		if (skim_piece(x, p, n < SKIM_MAX ? n : SKIM_MAX, &used) == -1)
			return -1;
		p += used;
		n -= used;
	}
	return 0;
}

/*
 * Skim a piece of the page and feed libxml2; *used is the bytes taken,
 * all of them unless the piece stops before a start tag's '>' for
 * libxml2 to read what came before.
 */
static int
skim_piece(struct extract *x, const char *p, size_t n, size_t *used)
{
	static const char lt[] = "<";
	const char	*p0 = p, *s = p, *end = p + n, *start, *q;
	size_t		 k;
	int		 c, rc, seen, kept;
	char		 name[LEXNAME_MAX + 1];

	*used = n;
	/* A BOM goes before it could pass for text. */
	if (x->bomskip > 0) {
		k = n < x->bomskip ? n : x->bomskip;
		p += k;
		n -= k;
		x->bomskip -= k;
		s = p;
		end = p + n;
	}
	/*
	 * libxml2 reads an end tag by looking down its stack of open
	 * elements, so a page of thousands of unclosed tags and as many
	 * stray end tags costs it time in their square.  Where it has
	 * TRAWL_PARSE_DEPTH elements open, start tags do not pass (the text
	 * in them still does).  depth is its figure as the piece starts,
	 * up by each start tag passed since, void or not: an upper bound,
	 * exact while no tag has passed.  Near the limit the piece ends
	 * before a start tag's '>', so that the next starts with the exact
	 * figure: the same, however the page's chunks fall.
	 */
	x->depth = x->ctxt->nameNr;
	x->piecetags = 0;
	/* A start tag the last chunk cut is still here: see below. */
	x->skimbuf.len = x->carried;
	x->tagvalid = x->carried > 0;
	x->tagoff = 0;
	x->carried = 0;
	if (x->oob)
		oob_compact(x);
	if (x->bhead == x->nblanks)
		x->bhead = x->btrans = x->nblanks = 0;
	/* start: where the bytes being passed on began; NULL: dropping. */
	start = x->skipping ? NULL : p;
	while (s < end) {
		switch (x->lex) {
		case L_DATA:
			if (start != NULL)
				skim_out(x, start, (size_t)(s - start));
			start = NULL;
			if ((q = memchr(s, '<', (size_t)(end - s))) == NULL)
				q = end;
			if (!x->oob)
				skim_text(x, s, (size_t)(q - s));
			else
				skim_run(x, s, q, q < end);
			s = q;
			if (q < end) {
				s++;
				x->lex = L_LT;
				x->wsprev = 0;
			}
			break;
		case L_LT:
			c = (unsigned char)*s;
			x->rawtag = 0;
			if (c == '!') {
				x->lex = L_BANG;
				x->lexn = 0;
				s++;
				break;
			}
			/*
			 * An end tag before any element: libxml2 drops the
			 * text after it, or not, as the chunks fall.
			 */
			if (c == '?' || (c == '/' && !x->seenstart)) {
				x->lex = L_DECL;
				s++;
				break;
			}
			if (ascii_alpha(c))
				x->seenstart = 1;
			if (!(c == '/' || ascii_alpha(c))) {
				/*
				 * A '<' that starts no tag is text.  As a
				 * reference, or in the run, it cannot make a
				 * tag with what follows once bytes between
				 * are dropped.
				 */
				if (x->oob)
					skim_run(x, lt, lt + 1, 0);
				else {
					blank_flush(x);
					skim_out(x, "&lt;", 4);
				}
				start = s;
				x->lex = L_DATA;
				break;
			}
			x->tagpos = x->sfed + x->skimbuf.len;
			x->tagoff = x->skimbuf.len;
			x->tagvalid = 1;
			k = x->nblanks;
			blank_tag(x);
			x->tagnoted = x->nblanks > k;
			skim_out(x, "<", 1);
			start = s;
			x->lexend = c == '/';
			x->lexn = 0;
			x->lex = L_NAME;
			if (c == '/')
				s++;
			break;
		case L_BANG:
			if (*s == '-' && x->lexn < 2) {
				s++;
				if (++x->lexn == 2) {
					x->lex = L_COMMENT;
					x->lexn = 0;
				}
				break;
			}
			/*
			 * <!DOCTYPE> and <?xml?> go too: libxml2 reads them
			 * differently as chunks fall, and they say nothing
			 * we use.  After </html> a blank takes the place of
			 * a "<!": libxml2 reads text there only as far as
			 * has come, so text on both sides of it would be
			 * read as one or not as the chunks fall.
			 */
			x->lex = L_DECL;
			if (x->pasthtml)
				x->blankpend = 1;
			break;
		case L_DECL:
			if ((q = memchr(s, '>', (size_t)(end - s))) == NULL) {
				s = end;
				break;
			}
			s = q + 1;
			start = s;
			x->lex = L_DATA;
			x->textgap = 1;
			break;
		case L_COMMENT:
			if ((q = memchr(s, '>', (size_t)(end - s))) == NULL) {
				for (q = end; q > s && q[-1] == '-'; q--)
					;
				if (q == s)
					x->lexn += (int)(end - s);
				else
					x->lexn = (int)(end - q);
				s = end;
				break;
			}
			k = (size_t)(q - s);
			if ((k >= 2 && q[-1] == '-' && q[-2] == '-') ||
			    (k == 1 && q[-1] == '-' && x->lexn >= 1) ||
			    (k == 0 && x->lexn >= 2)) {
				x->lex = L_DATA;
				x->textgap = 1;
				start = q + 1;
			}
			x->lexn = 0;
			s = q + 1;
			break;
		case L_NAME:
			while (s < end && is_namechar((unsigned char)*s)) {
				if (x->lexn < (int)sizeof(x->lexname))
					x->lexname[x->lexn] =
					    (char)ascii_lower((unsigned char)*s);
				x->lexn++;
				s++;
			}
			if (s == end)
				break;
			if (!x->lexend && x->lexn == 6 &&
			    memcmp(x->lexname, "script", 6) == 0)
				x->rawtag = 1;
			else if (!x->lexend && x->lexn == 5 &&
			    memcmp(x->lexname, "style", 5) == 0)
				x->rawtag = 2;
			x->ldmatch = 0;
			skim_head(x);
			x->attrseen = 0;
			x->tagflags = 0;
			x->tagblank = 0;
			x->taghidden = 0;
			x->tagslash = 0;
			x->watch = 0;
			if (x->lexend && x->lexn == 4 &&
			    memcmp(x->lexname, "html", 4) == 0)
				x->pasthtml = 1;
			x->lex = L_TAG;
			if (x->dropping)
				skim_drop_tag(x, &start, s);
			else
				x->dropcand = !x->lexend && x->rawtag == 0 &&
				    drop_root(x->lexname, x->lexn);
			break;
		case L_TAG:
			c = (unsigned char)*s;
			if (c != '>')
				x->tagslash = c == '/';
			if (c == '>' && !x->lexend && x->rawtag == 0 &&
			    x->tagvalid && !x->dropping && x->piecetags > 0 &&
			    x->depth + DEPTH_NEAR >= TRAWL_PARSE_DEPTH) {
				*used = (size_t)(s - p0);
				end = s;
				break;
			}
			if (c == '>') {
				kept = 1;
				/* A blank before '>' says nothing. */
				if (start == NULL)
					start = s;
				x->tagblank = 0;
				s++;
				if (x->rawtag == 0 && x->headstate == 1 &&
				    x->tagvalid && !x->lexend && x->lexn == 4 &&
				    (memcmp(x->lexname, "meta", 4) == 0 ||
				    memcmp(x->lexname, "link", 4) == 0)) {
					skim_out(x, start, (size_t)(s - start));
					start = s;
					if (!skim_headtag_used(x)) {
						tag_takeback(x);
						kept = 0;
					}
				}
				if (x->rawtag == 0 && kept && !x->lexend &&
				    x->tagvalid && !x->dropping &&
				    x->piecetags == 0 &&
				    x->depth >= TRAWL_PARSE_DEPTH &&
				    !is_void(lex_name(x, name))) {
					skim_out(x, start, (size_t)(s - start));
					start = s;
					tag_takeback(x);
					kept = 0;
				}
				if (x->rawtag == 0) {
					if (kept) {
						blank_tag(x);
						tag_note(x);
						x->refopen = 0;
					} else
						x->textgap = 1;
					if (!x->lexend)
						skim_drop_open(x, &start, s);
					x->lex = L_DATA;
					/* Each tag passed may move it. */
					if (kept) {
						if (!x->lexend)
							x->depth++;
						x->piecetags++;
					}
					break;
				}
				x->depth++;
				x->piecetags++;
				x->rawkeep = x->rawtag == 1 &&
				    x->ldmatch == 7;
				/*
				 * Other scripts and styles go whole when their
				 * start tag can still be taken back: an empty
				 * element costs libxml2 as much as any other.
				 */
				x->rawdrop = !x->rawkeep && x->tagvalid;
				if (!x->rawdrop) {
					blank_tag(x);
					tag_note(x);
				}
				x->lex = L_RAW;
				x->lexn = 0;
				if (x->rawdrop) {
					tag_takeback(x);
					start = NULL;
				} else if (!x->rawkeep || (x->oob &&
				    !x->dropping)) {
					skim_out(x, start,
					    (size_t)(s - start));
					start = NULL;
					/* JSON-LD text: see ld_close(). */
					if (x->rawkeep) {
						x->ldgrab = 1;
						x->oobopen = 1;
						x->oobstart = x->oobtext.len;
					}
				}
				break;
			}
			/*
			 * End tags keep no attributes, and stray bytes in a
			 * tag go: libxml2 reads such junk differently as
			 * chunks fall.
			 */
			if (x->lexend) {
				if (start != NULL)
					skim_out(x, start, (size_t)(s - start));
				q = memchr(s, '>', (size_t)(end - s));
				s = q != NULL ? q : end;
				start = q;
				break;
			}
			/*
			 * Blanks between attributes, most of them left by
			 * attributes dropped, pass as one: libxml2 skips
			 * them a character at a time.
			 */
			if (is_tagblank(c)) {
				if (start != NULL)
					skim_out(x, start, (size_t)(s - start));
				start = NULL;
				x->tagblank = 1;
				s++;
				break;
			}
			if (!ascii_alpha(c) && c != '_' && c != ':') {
				if (c == '/' && s + 1 < end && s[1] == '>') {
					/* "/>": the tag ends, empty. */
					if (start == NULL)
						start = s;
					skim_blank(x, &start, s);
				} else {
					/*
					 * libxml2 skips such bytes (and a '/'
					 * not before '>') up to a blank or the
					 * end of the tag, quotes or not: so
					 * does the skimmer.
					 */
					if (start != NULL)
						skim_out(x, start,
						    (size_t)(s - start));
					start = NULL;
					x->junkslash = c == '/' && s + 1 == end;
					x->lex = L_JUNK;
				}
				s++;
				break;
			}
			/* An attribute: keep it only if it is wanted. */
			if (start != NULL)
				skim_out(x, start, (size_t)(s - start));
			start = NULL;
			x->attrn = 0;
			x->lex = L_ATTR;
			break;
		case L_ATTR:
			while (s < end && is_namechar((unsigned char)*s)) {
				if (x->attrn < ATTR_MAX)
					x->attrname[x->attrn] =
					    (char)ascii_lower((unsigned char)*s);
				x->attrn++;
				s++;
			}
			if (s == end)
				break;
			x->tagslash = 0;
			x->attrkeep = !x->lexend && !x->dropping &&
			    x->attrn <= ATTR_MAX &&
			    attr_wanted(x, x->attrname, (size_t)x->attrn);
			/* What may hide the element, first of each name. */
			if (x->attrkeep == 1 && !x->dropping)
				skim_watch_name(x);
			/*
			 * class and id pass as their hints, in hex, by
			 * skim_hints(); libxml2 keeps only the first of each.
			 */
			if (x->attrkeep && (x->attrn == 5 || x->attrn == 2)) {
				seen = x->attrn == 5 ? ATTR_CLASS : ATTR_ID;
				if ((seen == ATTR_CLASS && memcmp(x->attrname,
				    "class", 5) == 0) || (seen == ATTR_ID &&
				    memcmp(x->attrname, "id", 2) == 0)) {
					x->attrkeep = x->attrseen & seen ? 0 : 2;
					x->attrseen |= seen;
				}
			}
			if (x->attrkeep == 1) {
				skim_blank(x, &start, s);
				skim_out(x, x->attrname, (size_t)x->attrn);
				start = s;
			}
			x->lex = L_AFTER;
			break;
		case L_AFTER:
			c = (unsigned char)*s;
			if (is_tagblank(c)) {
				s++;
				break;
			}
			if (c == '=') {
				s++;
				x->lex = L_TAGEQ;
				break;
			}
			/* No value: the next attribute or the end. */
			if (x->attrkeep != 1)
				start = s;
			x->watch = 0;
			x->lex = L_TAG;
			break;
		case L_TAGEQ:
			c = (unsigned char)*s;
			if (is_tagblank(c))
				s++;
			else if (c == '"' || c == '\'') {
				x->lexq = c;
				x->lex = L_QUOTE;
				s++;
				if (x->attrkeep == 2)
					x->attrvn = 0;
				x->watchn = 0;
				x->watchamp = 0;
			} else if (c == '>') {
				if (x->attrkeep != 1)
					start = s;
				x->watch = 0;
				x->lex = L_TAG;
			} else {
				x->lex = L_UNQUOTED;
				if (x->attrkeep == 2)
					x->attrvn = 0;
				x->watchn = 0;
				x->watchamp = 0;
				/* Passed on quoted: see skim_quoted(). */
				if (x->attrkeep == 1) {
					if (start != NULL)
						skim_out(x, start,
						    (size_t)(s - start));
					skim_out(x, "\"", 1);
					start = NULL;
				}
			}
			break;
		case L_QUOTE:
			q = memchr(s, x->lexq, (size_t)(end - s));
			if (q == NULL)
				q = end;
			if (x->rawtag == 1 && x->attrkeep)
				skim_ld(x, s, (size_t)(q - s));
			if (x->attrkeep == 2)
				skim_value(x, s, (size_t)(q - s));
			if (x->watch)
				skim_watch(x, s, (size_t)(q - s));
			s = q;
			if (q < end) {
				s++;
				if (x->attrkeep == 2)
					skim_hints(x);
				if (x->watch)
					skim_watch_end(x, x->lexq);
				if (x->attrkeep != 1)
					start = s;
				x->lex = L_TAG;
			}
			break;
		case L_UNQUOTED:
			q = s;
			while (s < end && !is_tagblank((unsigned char)*s) &&
			    *s != '>')
				s++;
			if (x->attrkeep == 1)
				skim_quoted(x, q, (size_t)(s - q));
			if (x->attrkeep == 2)
				skim_value(x, q, (size_t)(s - q));
			if (x->watch)
				skim_watch(x, q, (size_t)(s - q));
			if (s < end) {
				if (x->rawtag == 1 && x->attrkeep)
					x->ldmatch = 0;
				if (x->attrkeep == 1)
					skim_out(x, "\"", 1);
				if (x->attrkeep == 2)
					skim_hints(x);
				if (x->watch)
					skim_watch_end(x, 0);
				start = s;
				x->lex = L_TAG;
			}
			break;
		case L_JUNK:
			/* A '/' that ended the last chunk, and '>' now. */
			if (x->junkslash) {
				x->junkslash = 0;
				if (*s == '>') {
					skim_blank(x, &start, s);
					skim_out(x, "/", 1);
					x->tagslash = 1;
					start = s;
					x->lex = L_TAG;
					break;
				}
			}
			while (s < end && !is_tagblank((unsigned char)*s) &&
			    *s != '>' && !(*s == '/' && s + 1 < end &&
			    s[1] == '>'))
				s++;
			if (s == end) {
				x->junkslash = end[-1] == '/';
				break;
			}
			start = s;
			x->lex = L_TAG;
			break;
		case L_RAW:
			if (x->lexn == 0) {
				q = memchr(s, '<', (size_t)(end - s));
				if (x->ldgrab)
					sbuf_add(&x->oobtext, s, (size_t)((q ==
					    NULL ? end : q) - s));
				if (q == NULL) {
					s = end;
					break;
				}
				s = q + 1;
				x->lexn = 1;
				x->ldheld[0] = '<';
				break;
			}
			c = ascii_lower((unsigned char)*s);
			if (c != raw_end[x->rawtag][x->lexn]) {
				if (x->ldgrab)
					sbuf_add(&x->oobtext, x->ldheld,
					    (size_t)x->lexn);
				x->lexn = 0;
				break;
			}
			x->ldheld[x->lexn] = *s;
			s++;
			if (raw_end[x->rawtag][++x->lexn] != '\0')
				break;
			/*
			 * The end tag: libxml2 gets it, and what follows,
			 * unless the element goes whole.
			 */
			if (x->rawdrop) {
				x->rawtag = 0;
				x->lex = L_DECL;
				break;
			}
			if (!x->rawkeep || x->ldgrab) {
				/* A JSON-LD run's marker goes first. */
				if (x->ldgrab)
					ld_close(x, 0);
				skim_out(x, raw_end[x->rawtag],
				    strlen(raw_end[x->rawtag]));
				start = s;
			}
			x->rawtag = 0;
			x->lexend = 1;
			x->lex = L_TAG;
			break;
		}
	}
	if (start != NULL)
		skim_out(x, start, (size_t)(end - start));
	x->skipping = start == NULL;
	if (x->skimbuf.nomem || x->oobtext.nomem) {
		x->nomem = 1;
		return -1;
	}
	/*
	 * A start tag the chunk cuts stays here for the next one, so that
	 * it can still be taken back (a <script> or <style> that goes
	 * whole, a <meta> not read) whatever the cut: libxml2 would not
	 * read it before its '>' anyway.
	 */
	n = x->skimbuf.len;
	if (x->tagvalid && !x->lexend && ((x->lex >= L_NAME &&
	    x->lex <= L_UNQUOTED) || x->lex == L_JUNK))
		n = x->tagoff;
	if (n > 0)
		x->lastbyte = (unsigned char)x->skimbuf.p[n - 1];
	rc = n > 0 ? feed(x, x->skimbuf.p, n) : 0;
	x->carried = x->skimbuf.len - n;
	/* A tag longer than a chunk is moved once, not at every chunk. */
	if (n > 0 && x->carried > 0)
		memmove(x->skimbuf.p, x->skimbuf.p + n, x->carried);
	x->skimbuf.len = x->carried;
	return rc;
}

/*
 * UTF-16 and UTF-32 pages go to libxml2 unskimmed, in pieces: one that
 * leaves more than TRAWL_PARSE_DEPTH elements open ends the page there
 * (see skim_piece()).
 */
static int
wide_feed(struct extract *x, const char *p, size_t n)
{
	size_t	 k;

	while (n > 0 && !x->halted) {
		k = n < WIDE_PIECE ? n : WIDE_PIECE;
		if (feed(x, p, k) == -1)
			return -1;
		if (x->ctxt->nameNr > TRAWL_PARSE_DEPTH)
			x->halted = 1;
		p += k;
		n -= k;
	}
	return 0;
}

/* Start the parser on the bytes kept so far, and feed them. */
static int
parser_begin(struct extract *x)
{
	struct sbuf	 head;
	int		 rc;

	if (parser_start(x, (unsigned char *)x->pend.p, x->pend.len <
	    SNIFF_MAX ? x->pend.len : SNIFF_MAX) == -1) {
		x->nomem = 1;
		return -1;
	}
	head = x->pend;
	sbuf_init(&x->pend, SIZE_MAX / 4);
	rc = head.len > 0 ? skim(x, head.p, head.len) : 0;
	sbuf_free(&head);
	return rc;
}

int
extract_feed(struct extract *x, const char *p, size_t n)
{
	if (x == NULL || x->nomem)
		return -1;
	if (n == 0)
		return 0;
	if (x->ctxt == NULL) {
		/* Keep the start until it is enough to choose the encoding. */
		sbuf_add(&x->pend, p, n);
		if (x->pend.nomem) {
			x->nomem = 1;
			return -1;
		}
		if (x->pend.len < SNIFF_MAX)
			return 0;
		return parser_begin(x);
	}
	return skim(x, p, n);
}

/* Feed a started parser, holding back a cut end tag. */
static int
feed(struct extract *x, const char *p, size_t n)
{
	size_t	 h, take;

	x->sfed += n;
	/*
	 * Join the held-back tail with the start of this chunk, taking
	 * enough that the join is not itself inside an end tag.
	 */
	while (x->pend.len > 0) {
		take = n < 2 * HOLD_MAX ? n : 2 * HOLD_MAX;
		sbuf_add(&x->pend, p, take);
		if (x->pend.nomem) {
			x->nomem = 1;
			return -1;
		}
		p += take;
		n -= take;
		h = holdback(x->pend.p, x->pend.len);
		if (h > 0 && n > 0)
			continue;
		if (parser_push(x, x->pend.p, x->pend.len - h, 0) == -1)
			return -1;
		sbuf_consume(&x->pend, x->pend.len - h);
		if (n == 0)
			return 0;
	}
	h = holdback(p, n);
	if (parser_push(x, p, n - h, 0) == -1)
		return -1;
	sbuf_add(&x->pend, p + n - h, h);
	if (x->pend.nomem) {
		x->nomem = 1;
		return -1;
	}
	return 0;
}

void
extract_setup(void)
{
	pthread_once(&hint_once, extract_init);
}

struct extract *
extract_new(const char *charset, enum extract_format fmt)
{
	struct extract	*x;

	/*
	 * Encoding and I/O errors bypass the context's handlers and go to
	 * libxml2's generic handler, which prints to stderr.  Its setting is
	 * per thread, and this module is the only user of libxml2.
	 */
	extract_setup();
	xmlSetGenericErrorFunc(NULL, sax_message);
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->fmt = fmt;
	if (charset != NULL && *charset != '\0' &&
	    (x->charset = strdup(charset)) == NULL)
		goto fail;
	sbuf_init(&x->pend, SIZE_MAX / 4);
	sbuf_init(&x->scratch, SIZE_MAX / 4);
	sbuf_init(&x->skimbuf, SIZE_MAX / 4);
	sbuf_init(&x->oobtext, SIZE_MAX / 4);
	sbuf_init(&x->oobuf, SIZE_MAX / 4);
	sbuf_init(&x->raw, RAWTEXT_MAX);
	sbuf_init(&x->title, TRAWL_TITLE_MAX);
	sbuf_init(&x->h1, TRAWL_TITLE_MAX);
	sbuf_init(&x->ogtitle, TRAWL_TITLE_MAX);
	sbuf_init(&x->lang, LANG_MAX * 4);
	sbuf_init(&x->desc, META_MAX);
	sbuf_init(&x->ogdesc, META_MAX);
	sbuf_init(&x->canon, TRAWL_URL_MAX);
	sbuf_init(&x->published, META_MAX);
	sbuf_init(&x->jsonld, JSONLD_MAX);
	x->rawspace = 1;
	/* Node 0, the document, is its own parent. */
	if ((x->nodes = calloc(256, sizeof(*x->nodes))) == NULL)
		goto fail;
	x->capnodes = 256;
	x->nnodes = 1;
	return x;
fail:
	extract_free(x);
	return NULL;
}

void
extract_free(struct extract *x)
{
	if (x == NULL)
		return;
	if (x->ctxt != NULL)
		htmlFreeParserCtxt(x->ctxt);
	free(x->charset);
	sbuf_free(&x->pend);
	sbuf_free(&x->scratch);
	sbuf_free(&x->skimbuf);
	sbuf_free(&x->oobtext);
	sbuf_free(&x->oobuf);
	free(x->runs);
	free(x->blanks);
	free(x->notes);
	free(x->nodes);
	sbuf_free(&x->raw);
	sbuf_free(&x->title);
	sbuf_free(&x->h1);
	sbuf_free(&x->ogtitle);
	sbuf_free(&x->lang);
	sbuf_free(&x->desc);
	sbuf_free(&x->ogdesc);
	sbuf_free(&x->canon);
	sbuf_free(&x->published);
	sbuf_free(&x->jsonld);
	free(x);
}

void
extract_result_free(struct extract_result *r)
{
	if (r == NULL)
		return;
	free(r->title);
	free(r->lang);
	free(r->text);
	free(r->description);
	free(r->canonical_url);
	free(r->published);
	memset(r, 0, sizeof(*r));
}

/* Writing the text out. */

#define LISTS_MAX	16		/* list nesting kept for markers */

/* The markdown table being written. */
struct mdtable {
	uint32_t	 table;		/* the simple table being written */
	int		 row;
	int		 cells;
};

struct emit {
	struct sbuf	 out;
	enum extract_format fmt;
	int		 brk;		/* pending break: 0, 1 or 2 newlines */
	int		 space;		/* pending space */
	int		 quote;		/* blockquote depth */
	int		 brkquote;	/* least depth since the break began */
	int		 cell;		/* inside a table cell */
	int		 lists;		/* open lists */
	int		 ordered[LISTS_MAX];
	int		 count[LISTS_MAX];
	char		 prefix[LISTS_MAX * 2 + 16]; /* marker for next text */
	struct mdtable	 tab;
};

static void
emit_break(struct emit *e, int n)
{
	if (e->cell) {
		e->space = 1;
		return;
	}
	if (e->brk == 0 || e->quote < e->brkquote)
		e->brkquote = e->quote;
	if (n > e->brk)
		e->brk = n;
}

/* Write what must come before the next text. */
static void
emit_flush(struct emit *e)
{
	int	 i;

	if (e->out.len > 0) {
		if (e->brk > 0) {
			sbuf_addc(&e->out, '\n');
			if (e->brk > 1) {
				if (e->fmt == EXTRACT_MARKDOWN)
					for (i = 0; i < e->brkquote; i++)
						sbuf_addc(&e->out, '>');
				sbuf_addc(&e->out, '\n');
			}
		} else if (e->space)
			sbuf_addc(&e->out, ' ');
	}
	if (e->fmt == EXTRACT_MARKDOWN && (e->brk > 0 || e->out.len == 0))
		for (i = 0; i < e->quote; i++)
			sbuf_add(&e->out, "> ", 2);
	if (e->prefix[0] != '\0') {
		sbuf_add(&e->out, e->prefix, strlen(e->prefix));
		e->prefix[0] = '\0';
	}
	e->brk = 0;
	e->space = 0;
}

static void
emit_text(struct extract *x, struct emit *e, const struct node *n)
{
	const char	*s = x->raw.p + n->off;
	size_t		 len = n->len;

	if (len > 0 && s[0] == ' ') {
		e->space = 1;
		s++;
		len--;
	}
	if (len > 0 && s[len - 1] == ' ') {
		len--;
		if (len == 0)
			return;
		emit_flush(e);
		sbuf_add(&e->out, s, len);
		e->space = 1;
		return;
	}
	if (len == 0)
		return;
	emit_flush(e);
	sbuf_add(&e->out, s, len);
}

/* Whether table id is simple enough for a markdown table. */
static int
table_simple(struct extract *x, uint32_t id)
{
	uint32_t	 c = x->nodes[id].first, stop = id;

	/* No nested table, list or heading inside. */
	while (c != 0) {
		struct node	*n = &x->nodes[c];

		if (n->tag == T_TABLE || n->tag == T_UL || n->tag == T_OL ||
		    (tags[n->tag < T__MAX ? n->tag : 0].kind & K_HEADING))
			return 0;
		if (n->tag != T_TEXT && n->first != 0) {
			c = n->first;
			continue;
		}
		while (c != stop && x->nodes[c].next == 0)
			c = x->nodes[c].parent;
		if (c == stop)
			break;
		c = x->nodes[c].next;
	}
	return 1;
}


static void
emit_enter(struct extract *x, struct emit *e, struct mdtable *t, uint32_t id)
{
	struct node	*n = &x->nodes[id];
	int		 i, l;

	switch (n->tag) {
	case T_BR:
		emit_break(e, 1);
		return;
	case T_UL:
	case T_OL:
	case T_MENU:
		emit_break(e, e->lists > 0 ? 1 : 2);
		if (e->lists < LISTS_MAX) {
			e->ordered[e->lists] = n->tag == T_OL;
			e->count[e->lists] = 0;
		}
		e->lists++;
		return;
	case T_LI:
		emit_break(e, 1);
		if (e->fmt != EXTRACT_MARKDOWN || e->cell)
			return;
		l = e->lists > 0 ? e->lists - 1 : 0;
		if (l >= LISTS_MAX)
			l = LISTS_MAX - 1;
		for (i = 0; i < l; i++)
			e->prefix[i] = ' ', e->prefix[i + l] = ' ';
		e->prefix[2 * l] = '\0';
		if (e->lists > 0 && e->ordered[l])
			snprintf(e->prefix + 2 * l, sizeof(e->prefix) - 2 * l,
			    "%d. ", ++e->count[l]);
		else
			strlcat(e->prefix, "- ", sizeof(e->prefix));
		return;
	case T_BLOCKQUOTE:
		emit_break(e, 2);
		if (!e->cell)
			e->quote++;
		return;
	case T_TABLE:
		emit_break(e, 2);
		if (e->fmt == EXTRACT_MARKDOWN && t->table == 0 && !e->cell &&
		    table_simple(x, id)) {
			t->table = id;
			t->row = 0;
		}
		return;
	case T_TR:
		emit_break(e, 1);
		if (t->table != 0 && !e->cell) {
			t->cells = 0;
			emit_flush(e);
			sbuf_add(&e->out, "|", 1);
		}
		return;
	case T_TD:
	case T_TH:
		if (t->table != 0 && !e->cell) {
			sbuf_add(&e->out, " ", 1);
			t->cells++;
			e->cell = 1;
			e->space = 0;
			return;
		}
		if (!e->cell)
			e->space = 1;
		else
			e->space = 1;
		return;
	default:
		break;
	}
	if (tags[n->tag].kind & K_HEADING) {
		emit_break(e, 2);
		if (e->fmt == EXTRACT_MARKDOWN && !e->cell) {
			l = n->tag - T_H1 + 1;
			for (i = 0; i < l; i++)
				e->prefix[i] = '#';
			e->prefix[l] = ' ';
			e->prefix[l + 1] = '\0';
		}
		return;
	}
	if (tags[n->tag].kind & K_BLOCK)
		emit_break(e, 2);
}

static void
emit_leave(struct extract *x, struct emit *e, struct mdtable *t, uint32_t id)
{
	struct node	*n = &x->nodes[id];
	int		 i;

	switch (n->tag) {
	case T_UL:
	case T_OL:
	case T_MENU:
		if (e->lists > 0)
			e->lists--;
		emit_break(e, e->lists > 0 ? 1 : 2);
		return;
	case T_LI:
		e->prefix[0] = '\0';
		emit_break(e, 1);
		return;
	case T_BLOCKQUOTE:
		if (!e->cell && e->quote > 0)
			e->quote--;
		emit_break(e, 2);
		return;
	case T_TD:
	case T_TH:
		if (t->table != 0 && e->cell &&
		    x->nodes[n->parent].tag == T_TR) {
			e->cell = 0;
			e->space = 0;
			sbuf_add(&e->out, " |", 2);
		} else
			e->space = 1;
		return;
	case T_TR:
		if (t->table != 0 && !e->cell) {
			if (t->row == 0) {
				sbuf_add(&e->out, "\n|", 2);
				for (i = 0; i < t->cells; i++)
					sbuf_add(&e->out, " --- |", 6);
			}
			t->row++;
		}
		emit_break(e, 1);
		return;
	case T_TABLE:
		if (t->table == id)
			t->table = 0;
		emit_break(e, 2);
		return;
	default:
		break;
	}
	if (tags[n->tag].kind & K_HEADING)
		e->prefix[0] = '\0';
	if (tags[n->tag].kind & K_BLOCK)
		emit_break(e, 2);
}

/* Write the kept part of the subtree at root, in document order. */
static void
emit_tree(struct extract *x, struct emit *e, uint32_t root)
{
	struct mdtable	*t = &e->tab;
	uint32_t	 id;

	id = x->nodes[root].first;
	while (id != 0 && !e->out.full && !e->out.nomem) {
		struct node	*n = &x->nodes[id];

		if (n->tag == T_TEXT)
			emit_text(x, e, n);
		else if (!(n->flags & N_DROP)) {
			emit_enter(x, e, t, id);
			if (n->first != 0) {
				id = n->first;
				continue;
			}
			emit_leave(x, e, t, id);
		}
		while (id != root && x->nodes[id].next == 0) {
			id = x->nodes[id].parent;
			if (id != root)
				emit_leave(x, e, t, id);
		}
		if (id == root)
			break;
		id = x->nodes[id].next;
	}
}

/* Write element id and its kept subtree. */
static void
emit_wrap(struct extract *x, struct emit *e, uint32_t id)
{
	if (x->nodes[id].flags & N_DROP)
		return;
	emit_enter(x, e, &e->tab, id);
	emit_tree(x, e, id);
	emit_leave(x, e, &e->tab, id);
}

/* Write every N_KEEP subtree, in document order. */
static void
emit_kept(struct extract *x, struct emit *e)
{
	size_t		 i;

	for (i = 1; i < x->nnodes; i++) {
		struct node	*n = &x->nodes[i];

		if (!(n->flags & N_KEEP))
			continue;
		if (n->tag == T_TEXT) {
			emit_text(x, e, n);
			continue;
		}
		/* A kept root is one block. */
		emit_break(e, 2);
		emit_wrap(x, e, (uint32_t)i);
		emit_break(e, 2);
	}
}

/* Choosing what to keep. */

/*
 * The rules' numbers, measured on extraction-dev (tests/bench/).
 */
#define PARA_MIN	25	/* bytes of text a paragraph needs to vote */
#define CLASS_W		10	/* score a class or id hint adds or takes */
#define CLIMB_RATIO	1.0	/* clean text a parent may add, per byte */
#define CLIMB_LINK	0.3	/* link text it may add, per clean byte */
#define FALLBACK_MIN	200	/* bytes of text below which all body goes */
#define JUNK_MAX	300	/* bytes of small print dropped by class */

/* A paragraph's vote grows with its length, up to 3 for 300 bytes. */
#define PARA_LEN(l)	((l) / 100 < 3 ? (l) / 100 : 3)

static int
is_container(uint8_t t)
{
	return t == T_DIV || t == T_SECTION || t == T_ARTICLE ||
	    t == T_MAIN || t == T_OTHER || t == T_CENTER || t == T_FONT ||
	    t == T_SPAN || t == T_TD || t == T_LI || t == T_BLOCKQUOTE ||
	    t == T_FORM || t == T_BODY;
}

/* Starting score of a candidate, by kind and hints. */
static float
cand_base(const struct node *n)
{
	float	 s = 0;

	switch (n->tag) {
	case T_DIV:
	case T_ARTICLE:
	case T_MAIN:
		s = 5;
		break;
	case T_PRE:
	case T_TD:
	case T_BLOCKQUOTE:
		s = 3;
		break;
	case T_ADDRESS:
	case T_OL:
	case T_UL:
	case T_DL:
	case T_DD:
	case T_DT:
	case T_LI:
	case T_FORM:
		s = -3;
		break;
	case T_H1:
	case T_H2:
	case T_H3:
	case T_H4:
	case T_H5:
	case T_H6:
	case T_TH:
		s = -5;
		break;
	default:
		break;
	}
	if (n->flags & N_POS)
		s += CLASS_W;
	if (n->flags & N_NEG)
		s -= CLASS_W;
	return s;
}

static size_t
count_commas(const char *s, size_t n)
{
	size_t	 i, c = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ',')
			c++;
		else if ((unsigned char)s[i] == 0xef && i + 2 < n &&
		    (unsigned char)s[i + 1] == 0xbc &&
		    (unsigned char)s[i + 2] == 0x8c)
			c++;
	}
	return c;
}

static float
link_density(const struct node *n)
{
	return n->textlen > 0 ? (float)n->linklen / n->textlen : 0;
}

/* Whether id is inside an <article> or <main>. */
static int
in_article(struct extract *x, uint32_t id)
{
	for (id = x->nodes[id].parent; id != 0; id = x->nodes[id].parent)
		if (x->nodes[id].tag == T_ARTICLE || x->nodes[id].tag == T_MAIN)
			return 1;
	return 0;
}

/*
 * Mark boilerplate N_UNLIKELY (by kind, or by a class/id hint that is
 * not also a content hint), and fill own and commas.  Parents come before
 * their children in x->nodes, so one forward and one backward pass do.
 */
static void
mark_unlikely(struct extract *x)
{
	size_t		 i;
	uint32_t	 half;

	/* What holds most of the page's text is not boilerplate. */
	half = (x->nodes[0].textlen - x->nodes[0].linklen) / 2;
	for (i = 1; i < x->nnodes; i++) {
		struct node	*n = &x->nodes[i];
		struct node	*p = &x->nodes[n->parent];

		if (n->tag == T_TEXT) {
			p->own += n->len;
			if (!(p->flags & N_UNLIKELY)) {
				if (n->flags & N_INLINK)
					n->glink = n->len;
				else
					n->good = n->len;
			}
			n->commas = (uint32_t)count_commas(x->raw.p + n->off,
			    n->len);
			continue;
		}
		if (p->flags & N_UNLIKELY) {
			n->flags |= N_UNLIKELY;
			continue;
		}
		if (n->tag == T_BODY || n->tag == T_HTML ||
		    n->tag == T_MAIN || n->tag == T_ARTICLE ||
		    n->textlen - n->linklen > half)
			continue;
		/* An article's header holds its headline and lead. */
		if (n->tag == T_HEADER && in_article(x, (uint32_t)i))
			continue;
		if ((n->flags & (N_UNL | N_MAYBE)) == N_UNL)
			n->flags |= N_UNLIKELY;
		else if (!(tags[n->tag].kind & K_BOILER))
			continue;
		/* Some sites wrap the whole page in a form. */
		else if (n->tag == T_FORM && n->paras >= 3)
			continue;
		else
			n->flags |= N_UNLIKELY;
	}
	for (i = x->nnodes - 1; i > 0; i--) {
		struct node	*n = &x->nodes[i];
		struct node	*p = &x->nodes[n->parent];

		p->commas += n->commas;
		p->good += n->good;
		p->glink += n->glink;
		if (n->tag != T_TEXT && (tags[n->tag].kind & K_HEADING) &&
		    n->textlen > 0 && n->linklen * 5 >= n->textlen * 4)
			n->flags |= N_LHEAD;
		if (n->flags & N_LHEAD) {
			p->flags |= N_LHEAD;
			if (p->lheads < UINT16_MAX)
				p->lheads++;
		}
	}
}

/* Give paragraph id's content score to its ancestors. */
static void
score_para(struct extract *x, uint32_t id)
{
	struct node	*n = &x->nodes[id], *a;
	uint32_t	 len;
	float		 s;
	int		 level;

	if (n->flags & N_UNLIKELY)
		return;
	if (n->tag == T_P || n->tag == T_PRE || n->tag == T_DD)
		len = n->textlen - n->linklen;
	else if (is_container(n->tag))
		len = n->own;
	else
		return;
	if (len < PARA_MIN)
		return;
	s = 1 + (float)n->commas + PARA_LEN(len);
	for (level = 0, a = n; level < 5 && a->parent != 0; level++) {
		a = &x->nodes[a->parent];
		if (!(a->flags & N_CAND)) {
			a->flags |= N_CAND;
			a->score = cand_base(a);
		}
		a->score += level == 0 ? s : level == 1 ? s / 2 :
		    s / (level * 3);
	}
}

/* Whether sibling id, next to the top candidate, belongs with it. */
static int
sibling_keep(struct extract *x, uint32_t id, float threshold)
{
	struct node	*n = &x->nodes[id];
	uint32_t	 len;
	float		 ld;

	if (n->tag == T_TEXT)
		return n->len > 0;
	if (n->flags & N_UNLIKELY)
		return 0;
	ld = link_density(n);
	if ((n->flags & N_CAND) && n->score * (1 - ld) >= threshold)
		return 1;
	/* A block of clean text next to the body: the lead, a box. */
	if (is_container(n->tag) && n->good > 150 && ld < 0.25f)
		return 1;
	if (n->tag != T_P && !(tags[n->tag].kind & K_HEADING) &&
	    n->tag != T_BLOCKQUOTE && n->tag != T_UL && n->tag != T_OL)
		return 0;
	len = n->textlen;
	if (len > 80 && ld < 0.25)
		return 1;
	if (len > 0 && ld == 0 && (tags[n->tag].kind & K_HEADING))
		return 1;
	return len > 0 && len <= 80 && ld == 0 && n->commas > 0;
}

/* Whether a is an ancestor of d (or d itself). */
static int
is_ancestor(struct extract *x, uint32_t a, uint32_t d)
{
	for (; d != 0; d = x->nodes[d].parent)
		if (d == a)
			return 1;
	return a == 0;
}

/*
 * Threads, Q&A pages and comment-like articles spread the text over
 * several blocks that score alike: when two or more others score at
 * least half the best, take the element that holds them all (unless that
 * is the whole body).
 */
static uint32_t
common_top(struct extract *x, uint32_t best)
{
	uint32_t	 i, lca = best;
	float		 min = x->nodes[best].score / 2;
	int		 alts = 0;

	for (i = 1; i < x->nnodes; i++) {
		struct node	*n = &x->nodes[i];

		if (!(n->flags & N_CAND) || n->score < min || i == best ||
		    n->tag == T_BODY || n->tag == T_HTML ||
		    is_ancestor(x, i, best) || is_ancestor(x, best, i))
			continue;
		alts++;
		while (!is_ancestor(x, lca, i))
			lca = x->nodes[lca].parent;
		if (lca == 0 || x->nodes[lca].tag == T_BODY ||
		    x->nodes[lca].tag == T_HTML)
			return best;
	}
	if (alts < 2 || lca == 0 || x->nodes[lca].tag == T_BODY ||
	    x->nodes[lca].tag == T_HTML)
		return best;
	return lca;
}

/* Pick the main-text roots; returns how many were marked N_KEEP. */
static int
pick_main(struct extract *x)
{
	struct node	*top, *p;
	uint32_t	 best = 0, i, c;
	float		 bestscore = 0, last, threshold;
	int		 kept = 0;

	mark_unlikely(x);
	for (i = 1; i < x->nnodes; i++)
		if (x->nodes[i].tag != T_TEXT)
			score_para(x, i);
	for (i = 1; i < x->nnodes; i++) {
		struct node	*n = &x->nodes[i];
		float		 f;

		if (!(n->flags & N_CAND) || n->tag == T_HTML)
			continue;
		f = n->score * (1 - link_density(n));
		n->score = f;
		if (best == 0 || f > bestscore) {
			best = i;
			bestscore = f;
		}
	}
	if (best == 0)
		return 0;
	x->best = best;
	best = common_top(x, best);
	/* A parent that scores well too holds more of the text. */
	top = &x->nodes[best];
	last = top->score;
	threshold = last / 3;
	for (i = top->parent; i != 0 && x->nodes[i].tag != T_BODY &&
	    x->nodes[i].tag != T_HTML; i = x->nodes[i].parent) {
		p = &x->nodes[i];
		if (!(p->flags & N_CAND))
			continue;
		if (p->score < threshold)
			break;
		if (p->score > last) {
			best = i;
			break;
		}
		last = p->score;
	}
	/*
	 * Take in what surrounds the text when it is little and not mostly
	 * links: the lead, the headline, an excerpt next to the body.
	 */
	for (;;) {
		struct node	*t = &x->nodes[best];
		uint32_t	 eg, el;

		i = t->parent;
		p = &x->nodes[i];
		if (i == 0 || p->tag == T_BODY || p->tag == T_HTML)
			break;
		eg = p->good - t->good;
		el = p->glink - t->glink;
		if (eg > CLIMB_RATIO * t->good ||
		    el > CLIMB_LINK * (eg + 1))
			break;
		best = i;
	}
	/* The article around the text holds its headline and lead. */
	for (i = x->nodes[best].parent, c = 0; i != 0 && c < 10;
	    i = x->nodes[i].parent, c++) {
		p = &x->nodes[i];
		if (p->tag == T_BODY)
			break;
		if (p->tag == T_ARTICLE) {
			if (p->glink < p->good)
				best = i;
			break;
		}
	}
	/* An only child stands for its parent. */
	while (x->nodes[best].parent != 0 &&
	    x->nodes[x->nodes[best].parent].tag != T_BODY &&
	    x->nodes[x->nodes[best].parent].tag != T_HTML &&
	    x->nodes[x->nodes[best].parent].first ==
	    x->nodes[x->nodes[best].parent].last)
		best = x->nodes[best].parent;
	top = &x->nodes[best];
	threshold = top->score * 0.2f;
	if (threshold < 10)
		threshold = 10;
	if (top->tag == T_BODY || top->parent == 0) {
		top->flags |= N_KEEP;
		return 1;
	}
	for (c = x->nodes[top->parent].first; c != 0; c = x->nodes[c].next) {
		if (c == best || sibling_keep(x, c, threshold)) {
			x->nodes[c].flags |= N_KEEP;
			kept++;
		}
	}
	return kept;
}

/*
 * Inside the kept text, drop what is boilerplate by kind or hint, and
 * blocks that are mostly links.
 */
/* The next node after id's subtree, in document order, or 0. */
static uint32_t
next_after(struct extract *x, uint32_t id)
{
	while (id != 0 && x->nodes[id].next == 0)
		id = x->nodes[id].parent;
	return id != 0 ? x->nodes[id].next : 0;
}

/*
 * Whether heading id only introduces boilerplate: the next text after it
 * is dropped ("Related articles" over a list of links).
 */
static int
heading_orphan(struct extract *x, uint32_t id)
{
	uint32_t	 c = next_after(x, id), a;
	int		 level = x->nodes[id].tag, drop, kept;

	while (c != 0) {
		struct node	*n = &x->nodes[c];

		if ((n->tag == T_TEXT && n->len <= 1) ||
		    (n->tag != T_TEXT && n->textlen == 0)) {
			c = next_after(x, c);
			continue;
		}
		drop = kept = 0;
		for (a = c; a != 0; a = x->nodes[a].parent) {
			if ((x->nodes[a].flags & N_DROP) && !drop)
				drop = (int)a;
			if (x->nodes[a].flags & N_KEEP)
				kept = 1;
		}
		/* Past the end of the text kept: nothing followed. */
		if (!kept && !x->whole)
			return 1;
		if (drop != 0) {
			if (!(x->nodes[drop].flags & N_MEDIA))
				return 1;
			c = next_after(x, (uint32_t)drop);
			continue;
		}
		if (n->tag == T_TEXT)
			return 0;
		/* The next heading of the same rank: an empty section. */
		if ((tags[n->tag].kind & K_HEADING) && n->tag <= level)
			return 1;
		if (n->first == 0)
			return 0;
		c = n->first;
	}
	return 1;
}

#define CUE_MAX		200	/* text bytes a cue may drop */

#define CUE(s)	{ s, sizeof(s) - 1 }

/*
 * Phrases that open a line pointing away from the article ("Read also:
 * ...", "You may also like"), asking for a subscription or a follow,
 * or marking an advertisement or the comments, in the languages most
 * pages are in; lowercase, UTF-8.
 */
static const struct cue {
	const char	*s;
	size_t		 len;
} cues[] = {
	/* Elsewhere on the site. */
	CUE("read more"), CUE("read also"), CUE("read next"), CUE("also read"),
	CUE("related:"), CUE("related articles"), CUE("related posts"),
	CUE("related stories"), CUE("you may also like"),
	CUE("you might also like"), CUE("recommended for you"),
	CUE("more stories"), CUE("more news"), CUE("lesen sie auch"),
	CUE("lesen sie mehr"), CUE("auch interessant"),
	CUE("das könnte sie auch interessieren"),
	CUE("das könnte dich auch interessieren"),
	CUE("das thema könnte dich auch interessieren"),
	CUE("das könnte ihnen auch gefallen"), CUE("mehr zum thema"),
	CUE("mehr themen"), CUE("schon gelesen"), CUE("weitere artikel"),
	CUE("ähnliche artikel"), CUE("passend zum thema"),
	CUE("zum weiterlesen"), CUE("weiterlesen"),
	CUE("vorschau auf den nächsten artikel"), CUE("lire aussi"),
	CUE("à lire aussi"), CUE("a lire aussi"), CUE("voir aussi"),
	CUE("sur le même sujet"), CUE("lea más"), CUE("lee más"),
	CUE("lea también"), CUE("lee también"), CUE("vea también"),
	CUE("te puede interesar"), CUE("le puede interesar"),
	CUE("noticias relacionadas"), CUE("czytaj też"), CUE("czytaj także"),
	CUE("czytaj więcej"), CUE("zobacz też"), CUE("zobacz także"),
	CUE("dowiedz się więcej"), CUE("leia também"), CUE("leia mais"),
	CUE("veja também"), CUE("leggi anche"),
	/* Subscriptions and follows. */
	CUE("subscribe to"), CUE("subscribe now"), CUE("sign up for"),
	CUE("never miss"), CUE("receive our"), CUE("to view the full story"),
	CUE("follow us"), CUE("jetzt abonnieren"), CUE("abonnieren sie"),
	CUE("folgen sie uns"), CUE("síguenos"), CUE("suivez-nous"),
	CUE("hazte miembro"),
	/* Advertisements, rights, comments. */
	CUE("anzeige -"), CUE("anzeige:"), CUE("anzeige,"), CUE("- anzeige"),
	CUE("*werbung"), CUE("werbung:"), CUE("©"), CUE("all rights reserved"),
	CUE("alle rechte vorbehalten"), CUE("this article is the copyrighted"),
	CUE("keine kommentare"), CUE("no comments"), CUE("leave a comment"),
	CUE("leave a reply"), CUE("schreibe einen kommentar"),
	CUE("deja un comentario"), CUE("laisser un commentaire"),
	/* Reading time. */
	CUE("lesezeit"), CUE("reading time"), CUE("tiempo de lectura"),
	{ NULL, 0 }
};

/* Labels that make a whole block, a trailing ':' aside. */
static const char *const labels[] = {
	"tags", "schlagwörter", "schlagworte", "etiquetas", "tagi",
	"share", "share this", "share this article", "teilen",
	"artikel teilen", "beitrag teilen", "compartir", "partager",
	"udostępnij", "advertisement", "anzeige", "werbung", "publicidad",
	"publicité", "reklama", "comments", "kommentare", "comentarios",
	"commentaires", "komentarze",
	NULL
};

/* Whether low[0..n) reads "5 min read", "11 minut czytania", ... */
static int
cue_readtime(const char *low, size_t n)
{
	static const char *const words[] = {
		"read", "lesezeit", "lesen", "czytania", "lectura",
		"lecture", "leitura", NULL
	};
	size_t	 i = 0, k;

	while (i < n && low[i] >= '0' && low[i] <= '9')
		i++;
	if (i == 0 || i > 3 || n > 32)
		return 0;
	while (i < n && low[i] == ' ')
		i++;
	if (n - i < 3 || memcmp(low + i, "min", 3) != 0)
		return 0;
	for (k = 0; words[k] != NULL; k++)
		if (memmem(low + i, n - i, words[k], strlen(words[k])) != NULL)
			return 1;
	return 0;
}

/*
 * Lowercase n bytes of UTF-8 text into low: ASCII, and Latin-1's
 * capitals (U+00C0-U+00DE but U+00D7), enough for the cues.
 */
static void
cue_lower(const char *t, size_t n, char *low)
{
	size_t	 k;
	unsigned char	 c;

	for (k = 0; k < n; k++) {
		c = (unsigned char)t[k];
		low[k] = (char)ascii_lower(c);
		if (k > 0 && (unsigned char)t[k - 1] == 0xc3 &&
		    c >= 0x80 && c <= 0x9e && c != 0x97)
			low[k] = (char)(c + 0x20);
	}
}

/*
 * Whether the text of block id, at most CUE_MAX bytes, opens with one of
 * cues[].  A subtree's nodes follow it in order, so its first text is
 * the first text node after it deeper than it.
 */
static int
block_cue(struct extract *x, uint32_t id)
{
	const struct node	*n = &x->nodes[id];
	const char		*t;
	char			 low[48];	/* longer than every cue */
	size_t			 i, k, len;

	if (n->textlen == 0 || n->textlen > CUE_MAX)
		return 0;
	for (i = id + 1; i < x->nnodes &&
	    x->nodes[i].depth > n->depth; i++)
		if (x->nodes[i].tag == T_TEXT)
			break;
	if (i == x->nnodes || x->nodes[i].depth <= n->depth)
		return 0;
	t = x->raw.p + x->nodes[i].off;
	len = x->nodes[i].len;
	while (len > 0 && *t == ' ') {
		t++;
		len--;
	}
	if (len > sizeof(low))
		len = sizeof(low);
	cue_lower(t, len, low);
	for (k = 0; cues[k].s != NULL; k++)
		if (cues[k].s[0] == low[0] && cues[k].len <= len &&
		    memcmp(low, cues[k].s, cues[k].len) == 0)
			return 1;
	/* A label alone: the block's text is this one text node. */
	if (x->nodes[i].len + 2 >= n->textlen) {
		while (len > 0 && (low[len - 1] == ' ' || low[len - 1] == ':'))
			len--;
		for (k = 0; labels[k] != NULL; k++)
			if (strlen(labels[k]) == len &&
			    memcmp(low, labels[k], len) == 0)
				return 1;
		if (cue_readtime(low, len))
			return 1;
	}
	return 0;
}

static void
mark_drop(struct extract *x)
{
	size_t		 i;

	for (i = 1; i < x->nnodes; i++) {
		struct node	*n = &x->nodes[i];
		float		 ld;

		if (n->tag == T_TEXT || (n->flags & N_KEEP))
			continue;
		if (n->flags & N_UNLIKELY) {
			n->flags |= N_DROP;
			continue;
		}
		/*
		 * <noscript> is mostly "enable JavaScript"; but some pages
		 * keep their article there, and libxml2 puts the rest of
		 * the page in one that has an unclosed <div>.
		 */
		if (n->tag == T_NOSCRIPT && n->textlen - n->linklen < 200) {
			n->flags |= N_DROP;
			continue;
		}
		if ((n->tag == T_FIGURE || n->tag == T_FIGCAPTION) &&
		    n->textlen - n->linklen < 400) {
			n->flags |= N_DROP | N_MEDIA;
			continue;
		}
		/* Teasers: linked headlines over a few words, in a row. */
		if ((n->flags & N_LHEAD) && n->textlen - n->linklen < 400 &&
		    x->nodes[n->parent].lheads >= 2 &&
		    !(tags[n->tag].kind & K_HEADING) &&
		    !is_ancestor(x, (uint32_t)i, x->best)) {
			n->flags |= N_DROP;
			continue;
		}
		/* Small print: bylines, dates, captions, screen-reader text. */
		if ((n->flags & N_JUNK) &&
		    n->textlen - n->linklen < JUNK_MAX) {
			n->flags |= N_DROP;
			continue;
		}
		/* "Read also: ...", "You may also like". */
		if ((tags[n->tag].kind & K_BLOCK) &&
		    block_cue(x, (uint32_t)i)) {
			n->flags |= N_DROP;
			continue;
		}
		ld = link_density(n);
		/* A block that is one link: "Read more", "Gallery". */
		if ((tags[n->tag].kind & K_BLOCK) && n->textlen > 0 &&
		    n->textlen < 100 && ld >= 0.8f) {
			n->flags |= N_DROP;
			continue;
		}
		if (n->tag == T_P || n->tag == T_A || n->tag == T_SPAN ||
		    n->tag == T_B || n->tag == T_STRONG || n->tag == T_EM ||
		    n->tag == T_I || n->tag == T_TD || n->tag == T_TH ||
		    n->tag == T_PRE || n->tag == T_BR)
			continue;
		if (n->commas >= 10 || n->textlen == 0)
			continue;
		if (((n->flags & N_POS) && ld > 0.5f &&
		    n->textlen - n->linklen < 400) ||
		    (!(n->flags & N_POS) && ld > 0.2f &&
		    n->textlen - n->linklen < 200))
			n->flags |= N_DROP;
	}
	for (i = x->nnodes - 1; i > 0; i--) {
		struct node	*n = &x->nodes[i];

		if (n->tag != T_TEXT && (tags[n->tag].kind & K_HEADING) &&
		    !(n->flags & (N_DROP | N_KEEP)) && n->textlen < 100 &&
		    heading_orphan(x, i))
			n->flags |= N_DROP;
	}
}

/*
 * The text kept is too short to be the page's: write the whole body
 * instead, boilerplate still dropped.
 */
static void
emit_all(struct extract *x, struct emit *e, uint32_t root)
{
	enum extract_format	 fmt;
	size_t			 i;

	for (i = 1; i < x->nnodes; i++)
		x->nodes[i].flags &= ~N_KEEP;
	x->whole = 1;
	mark_drop(x);
	fmt = e->fmt;
	sbuf_free(&e->out);
	memset(e, 0, sizeof(*e));
	sbuf_init(&e->out, TRAWL_TEXT_MAX);
	e->fmt = fmt;
	emit_tree(x, e, root);
}

static void
emit_relaxed(struct extract *x, struct emit *e, uint32_t root)
{
	size_t	 i;

	for (i = 1; i < x->nnodes; i++) {
		struct node	*n = &x->nodes[i];

		n->flags &= ~(N_DROP | N_UNLIKELY | N_UNL | N_JUNK | N_KEEP |
		    N_MEDIA);
		if (n->tag == T_TEXT)
			continue;
		if ((x->nodes[n->parent].flags & N_UNLIKELY) ||
		    ((tags[n->tag].kind & K_BOILER) &&
		    !(n->tag == T_FORM && n->paras >= 3)))
			n->flags |= N_UNLIKELY;
	}
	emit_all(x, e, root);
}

/* Result building. */

/*
 * The length of s[0..n) without a UTF-8 sequence cut short at its end
 * (what a capped buffer leaves).
 */
static size_t
utf8_cut(const char *s, size_t n)
{
	size_t	 i = n;

	while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0x80)
		return n;
	/* s[i - 1] leads a sequence: whole, or gone. */
	if (utf8_seqlen((const unsigned char *)s + i - 1, n - i + 1) ==
	    n - i + 1)
		return n;
	return i - 1;
}

/* Cut s to at most max bytes on a character boundary; trim spaces. */
static void
str_trim(char *s, size_t *len, size_t max)
{
	size_t	 n = *len, i;

	if (n > max)
		n = max;
	n = utf8_cut(s, n);
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	for (i = 0; i < n && is_space((unsigned char)s[i]); i++)
		;
	memmove(s, s + i, n - i);
	n -= i;
	s[n] = '\0';
	*len = n;
}

/* A trimmed copy of b, or NULL if empty (*nomem set on failure). */
static char *
sbuf_dup(struct sbuf *b, size_t max, int *nomem)
{
	char	*s;
	size_t	 n;

	if (b->len == 0)
		return NULL;
	if ((s = malloc(b->len + 1)) == NULL) {
		*nomem = 1;
		return NULL;
	}
	memcpy(s, b->p, b->len);
	s[b->len] = '\0';
	n = b->len;
	str_trim(s, &n, max);
	if (n == 0) {
		free(s);
		return NULL;
	}
	return s;
}

static char *
str_empty(int *nomem)
{
	char	*s;

	if ((s = strdup("")) == NULL)
		*nomem = 1;
	return s;
}

/*
 * Drop a site name from a <title>: the last part after " | ", " - ",
 * " – " or " — " when it is shorter than what comes before it.
 */
static void
title_clean(char *s)
{
	static const char *const seps[] = {
		" | ", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", " :: ",
		" \xc2\xb7 ", " \xe2\x80\xa2 ", NULL
	};
	char	*best = NULL, *p;
	size_t	 i, seplen = 0;

	for (i = 0; seps[i] != NULL; i++) {
		char	*last = NULL;

		for (p = strstr(s, seps[i]); p != NULL;
		    p = strstr(p + 1, seps[i]))
			last = p;
		if (last != NULL && (best == NULL || last > best)) {
			best = last;
			seplen = strlen(seps[i]);
		}
	}
	if (best == NULL)
		return;
	if (strlen(best + seplen) < (size_t)(best - s))
		*best = '\0';
}

static char *
lang_normalise(struct sbuf *b, int *nomem)
{
	char	 tmp[LANG_MAX + 1];
	size_t	 i, n = 0;

	for (i = 0; i < b->len && n < LANG_MAX; i++) {
		unsigned char	 c = (unsigned char)b->p[i];

		if (c == ',' || c == ';' || (c == ' ' && n > 0))
			break;
		if (c == '_')
			c = '-';
		if (isalnum(c) || c == '-')
			tmp[n++] = (char)tolower(c);
	}
	while (n > 0 && tmp[n - 1] == '-')
		n--;
	tmp[n] = '\0';
	if ((n > 0 && tmp[0] == '-') || n == 1)
		n = 0, tmp[0] = '\0';
	if (n == 0)
		return str_empty(nomem);
	if (b->len == 0)
		return str_empty(nomem);
	{
		char	*s = strdup(tmp);

		if (s == NULL)
			*nomem = 1;
		return s;
	}
}

/* The string value of "key": "..." in JSON text, or NULL. */
static char *
json_find(const char *s, size_t n, const char *key, int *nomem)
{
	size_t	 kl = strlen(key), i, j;
	char	*v;

	for (i = 0; i + kl + 2 < n; i++) {
		if (s[i] != '"' || memcmp(s + i + 1, key, kl) != 0 ||
		    s[i + 1 + kl] != '"')
			continue;
		j = i + kl + 2;
		while (j < n && (is_space((unsigned char)s[j]) || s[j] == ':'))
			j++;
		if (j >= n || s[j] != '"')
			continue;
		i = ++j;
		while (j < n && s[j] != '"' && j - i < META_MAX)
			j++;
		if ((v = strndup(s + i, j - i)) == NULL)
			*nomem = 1;
		return v;
	}
	return NULL;
}

static size_t
count_words(const char *s, size_t n)
{
	size_t	 i, w = 0;
	int	 in = 0;

	for (i = 0; i < n; i++) {
		if (is_space((unsigned char)s[i]))
			in = 0;
		else if (!in) {
			in = 1;
			w++;
		}
	}
	return w;
}

static int
parser_end(struct extract *x)
{
	if (x->ctxt == NULL && parser_begin(x) == -1)
		return -1;
	/* A start tag the page ends in: libxml2 reads it all the same. */
	if (x->lex == L_NAME)
		x->tagflags = 0;
	if ((x->lex >= L_NAME && x->lex <= L_UNQUOTED) || x->lex == L_JUNK)
		tag_note(x);
	if (x->oobopen || x->blankpend || x->carried > 0) {
		x->skimbuf.len = x->carried;
		x->carried = 0;
		if (x->ldgrab)
			ld_close(x, 1);
		else if (x->oobopen)
			oob_close(x, 1);
		blank_flush(x);
		if (x->skimbuf.nomem || x->nomem ||
		    feed(x, x->skimbuf.p, x->skimbuf.len) == -1)
			return -1;
	}
	oob_last_amp(x);
	if (parser_push(x, x->pend.p, x->pend.len, 1) == -1)
		return -1;
	x->pend.len = 0;
	/* Close what the parser left open, so the counts add up. */
	x->skipdepth = 0;
	x->overdepth = 0;
	while (x->cur != 0)
		sax_end(x, NULL);
	return x->nomem ? -1 : 0;
}

int
extract_finish(struct extract *x, struct extract_result *ret)
{
	struct extract_result	 r;
	struct emit		 e;
	struct sbuf		*title;
	char			*s;
	int			 nomem = 0;
	uint32_t		 root;

	if (x == NULL || x->nomem || parser_end(x) == -1)
		return -1;
	memset(&r, 0, sizeof(r));
	memset(&e, 0, sizeof(e));
	sbuf_init(&e.out, TRAWL_TEXT_MAX);
	e.fmt = x->fmt;

	/*
	 * The whole document, not <body>: libxml2 sometimes gives text
	 * before it has implied an element, depending on the chunks.
	 */
	root = 0;
	if (pick_main(x) > 0) {
		mark_drop(x);
		emit_kept(x, &e);
		if (e.out.len < FALLBACK_MIN &&
		    x->nodes[root].good > 2 * e.out.len)
			emit_all(x, &e, root);
	} else {
		x->whole = 1;
		mark_drop(x);
		emit_tree(x, &e, root);
	}
	/* Nothing at all: class names misled us (forums call posts
	 * comments); only the kind of element counts then. */
	if (e.out.len == 0 && !e.out.nomem)
		emit_relaxed(x, &e, root);
	if (e.out.nomem)
		goto fail;
	if (e.out.len == 0)
		r.text = str_empty(&nomem);
	else {
		str_trim(e.out.p, &e.out.len, TRAWL_TEXT_MAX);
		r.text = e.out.p;
		e.out.p = NULL;
	}
	r.textlen = r.text != NULL ? strlen(r.text) : 0;
	r.words = r.text != NULL ? count_words(r.text, r.textlen) : 0;

	if (x->ogtitle.len > 0)
		title = &x->ogtitle;
	else if (x->title.len > 0)
		title = &x->title;
	else
		title = &x->h1;
	if ((r.title = sbuf_dup(title, TRAWL_TITLE_MAX, &nomem)) == NULL)
		r.title = str_empty(&nomem);
	else if (title == &x->title)
		title_clean(r.title);
	r.lang = lang_normalise(&x->lang, &nomem);
	r.description = sbuf_dup(&x->desc, META_MAX, &nomem);
	if (r.description == NULL)
		r.description = sbuf_dup(&x->ogdesc, META_MAX, &nomem);
	r.canonical_url = sbuf_dup(&x->canon, TRAWL_URL_MAX, &nomem);
	r.published = sbuf_dup(&x->published, META_MAX, &nomem);
	if (r.published == NULL && x->jsonld.len > 0) {
		s = json_find(x->jsonld.p, x->jsonld.len, "datePublished",
		    &nomem);
		r.published = s;
	}
	if (nomem || r.text == NULL || r.title == NULL || r.lang == NULL)
		goto fail;
	sbuf_free(&e.out);
	*ret = r;
	return 0;
fail:
	sbuf_free(&e.out);
	extract_result_free(&r);
	return -1;
}
