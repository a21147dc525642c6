"""Every threshold of the header/footer splitter, each with the reason for its value.

Modules read them as ``T.NAME`` (``import transforms.boilerplate.thresholds as T``), so the
evaluation can try other values without editing code.
"""

# --- line scores (transforms/boilerplate/scoring.py) ---
# Prose: seven words make a clause; menus and headlines are shorter or have no function words.
PROSE_MIN_WORDS = 7
# Share of function words in prose is ~0.3-0.5 in the languages we list; headlines ~0-0.15.
PROSE_MIN_STOP_RATIO = 0.15
# Headlines capitalise most content words; prose capitalises names only (~0.2-0.4).
HEADLINE_CAP_RATIO = 0.7
# A line that ends like a sentence needs fewer: "Coast Savings Financial Inc. reported a
# third-quarter loss, citing ..." is dense in names but still one function word in twelve.
SENTENCE_MIN_STOP_RATIO = 0.08
# A line this long that ends like a sentence is prose whatever its function words: headlines
# do not end with a full stop, and menus are not this long.
SENTENCE_PROSE_MIN_WORDS = 15
# Without a stop-word list for the page's language, prose needs this many characters.
NOSTOP_PROSE_MIN_CHARS = 40
# Below this share of long lines with function words, the page's language is not in our lists.
STOPWORD_LANGUAGE_MIN_SHARE = 0.2
# A prose line earns one point per this many words, so long paragraphs weigh more ...
WORDS_PER_POINT = 10.0
# ... up to this cap, so one huge teaser cannot pull a region across a wall of furniture.
MAX_LINE_SCORE = 5.0
# Lines without final punctuation shorter than this are headlines, not paragraphs.
UNFINISHED_MIN_WORDS = 15
# Prose without final punctuation (teaser blurbs, captions) counts less than a paragraph.
UNFINISHED_FACTOR = 0.5
# The signature line of a post embedded in the article ("— Name (@handle) Nov 4, 2019")
# belongs to the quoted post: a small plus, so it stays with the text around it.
EMBED_SCORE = 0.5
# A short non-prose line inside the body (sub-heading, "[Source]") costs a little.
SHORT_PENALTY = 0.5
# A list bullet is usually a menu entry; lists inside articles are surrounded by prose.
BULLET_PENALTY = 1.0
# Link separators ("News | World", "a › b") mark navigation.
LINK_PENALTY = 2.0
# A vocabulary hit ("Advertisement", "Privacy Policy").
VOCAB_PENALTY = 3.0
# A section heading ("Related articles", "Comments"): a wall that a few paragraphs of prose
# cannot cross (an inline related box inside an article is bridged by region.bridge instead).
# 12: the best of 5/8/12 on all pages and in 4 of 5 folds of the site-grouped
# cross-validation (eval/body_cv.py).
BARRIER_PENALTY = 12.0
# A line repeated in the input that is not prose (site menus, footers).
TEMPLATE_PENALTY = 2.0
# A line in this many documents of the input is template, not coincidence.
TEMPLATE_MIN_DOCS = 3
# A credit printed on the line after a "Photo:" label is at most this long.
CREDIT_MAX_CHARS = 80
# A headline repeated within this many lines inside the body is a teaser card for another
# story (image link + text link); articles do not repeat a line that close.
TEASER_COPY_DISTANCE = 2
# Prose lines count as template only when this share of documents has them: a wire story
# syndicated to a few papers repeats its paragraphs, a site-wide disclaimer is everywhere.
TEMPLATE_PROSE_MIN_SHARE = 0.3
# The article is the first big block of prose on a page; sidebars, teaser lists and comments
# come after it. A prose line's score shrinks linearly with the share of the page's prose
# before it, down to (1 - POSITION_DECAY) for the last line: enough to break ties between an
# article and a longer teaser list below it, not enough to prefer a header blurb.
POSITION_DECAY = 0.5  # of 0.3/0.5/0.7 (eval/body_cv.py): the best on all pages, 4 of 5 folds
# Tables, recipes and product lists are long runs of short lines after the article's prose:
# a run of at least this many plain lines that ends at a section barrier joins the body.
# (Short runs do not: the line or two after an article is usually a credit or a sign-off.)
STRUCTURE_MIN_RUN = 10
# A lead-in sentence just above the article ("X said in an editorial on Monday:") has at
# least this many words; shorter lines ending in a full stop are labels and kickers.
LEAD_IN_MIN_WORDS = 4
# A region boundary needs evidence on both sides (transforms/boilerplate/region.py): a gap of
# at most this many furniture-looking blocks (a newsletter box is 4-6 lines, a results table
# 3-8 rows) with article prose on both sides is inside the article ...
BRIDGE_MAX_GAP = 6  # of 0/3/6 (eval/body_cv.py): the best on all pages and in every fold
# ... when the far side has at least this many consecutive prose blocks that end like
# sentences (one comment or one teaser blurb between furniture lines is not a run).
BRIDGE_MIN_RUN = 2
# ... and at least this many words in all (a newsletter blurb and its consent line after an
# article are two short sentences; three paragraphs of an article are 60-150 words).
BRIDGE_MIN_RUN_WORDS = 40
# Short closing sentences after the region ("The hearing continues.") have at least this many
# words (two-word lines are labels and sign-offs).
TAIL_MIN_WORDS = 3
# A page that is one sentence-like block and nothing else is its own body (region.py
# lone_paragraph) from this many words: "Storm hits town." has three. Not fitted to data: the
# shared pages all have furniture, so no page there is a single block.
LONE_MIN_WORDS = 3
# A line printed again further down the page (headline, lede shown as a summary above the
# article, caption) is not one-off body text; the last copy is the one that may be body.
DUPLICATE_PENALTY = 1.0

# --- documents.body_flag (transforms/boilerplate/scoring.py, body_flag) ---
# A page with this many characters of prose has an article (a short brief has ~300-600).
BODY_FLAG_MIN_PROSE_CHARS = 600
# A kept body smaller than this share of the page's prose is flagged short_body. Chosen by
# site-grouped cross-validation (eval/body_cv.py, grid 0.1-0.5) to flag the pages whose body
# lost more than half of the article (char recall < 0.5): the best on all pages and in 4 of 5
# folds. A weak signal (held-out precision 0.12, recall 0.33 on the 6 lost pages of 186):
# comments and teaser blurbs are prose too.
BODY_FLAG_MIN_SHARE = 0.5

# --- headline and dateline (transforms/boilerplate/header.py) ---
# A dateline is a short line; longer lines that contain a date are sentences about something.
MAX_DATELINE_CHARS = 150
# (The range of plausible publication years, MIN_YEAR/MAX_YEAR, is in transforms/text/pubdate.py.)
# Title candidates: a headline has a few words and is not a paragraph.
TITLE_MIN_WORDS, TITLE_MAX_WORDS = 4, 30
TITLE_MIN_CHARS, TITLE_MAX_CHARS = 10, 250
# (Four words at least: two- and three-word lines above articles are kickers, section names
# and author names far more often than headlines.)
# A headline is mostly letters (not prices, scores or codes).
TITLE_MIN_ALPHA_RATIO = 0.5
# How many header lines above the body are searched for the headline and the dateline.
HEADER_WINDOW = 25
# Neighbourhood (lines) in which a byline/dateline or a photo credit tells a headline apart.
NEIGHBOUR_LINES = 3
# Two lines with this word overlap (Jaccard) are the same headline printed twice.
DUPLICATE_JACCARD = 0.8

# --- line features and keys (transforms/boilerplate/features.py) ---
# Lines whose normalised text has fewer letters than this carry no template signal ("1", "--").
MIN_KEY_LETTERS = 3
# CJK scripts have no spaces: count this many characters as one "word" so lengths compare.
CJK_CHARS_PER_WORD = 2

# --- blocks: hard-wrapped text (transforms/boilerplate/blocks.py) ---
# Hard wrapping is done at 60-80 columns (news wire, e-mail), fixed-width dumps at up to ~100;
# a page whose lines are longer than this has one paragraph per line.
WRAP_MAX_WIDTH = 100
# A page is hard-wrapped when at least this many of its line breaks are forced in the middle
# of a sentence (blocks.forced_break: the next word did not fit; a sentence continues) ...
# ... counting only breaks whose next line continues the sentence (lower case, digit, a script
# without case). Both chosen by site-grouped cross-validation on 7,956 windows of 3-30 lines
# (eval/wrap_cv.py, grid 1-4 x yes/no): (1, yes) in every fold, held-out join P 0.999 R 0.990;
# one break is enough once the next line must continue the sentence, and a short story of two
# wrapped paragraphs has only two or three breaks (the old rule, 4 full lines, lost them).
WRAP_MIN_BREAKS = 1
WRAP_BREAK_NEEDS_LOWER = True
# A line is full when it plus the next line's first word would pass the width minus this
# (a ragged right margin: some wrappers count the break's space, some keep a spare column).
WRAP_SLACK = 1
