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
# A section heading ("Related articles", "Comments"): a wall that about two paragraphs of
# prose cannot cross, while a long article split by one stray heading still can.
BARRIER_PENALTY = 8.0
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
POSITION_DECAY = 0.5
# Tables, recipes and product lists are long runs of short lines after the article's prose:
# a run of at least this many plain lines that ends at a section barrier joins the body.
# (Short runs do not: the line or two after an article is usually a credit or a sign-off.)
STRUCTURE_MIN_RUN = 10
# A lead-in sentence just above the article ("X said in an editorial on Monday:") has at
# least this many words; shorter lines ending in a full stop are labels and kickers.
LEAD_IN_MIN_WORDS = 4
# A line printed again further down the page (headline, lede shown as a summary above the
# article, caption) is not one-off body text; the last copy is the one that may be body.
DUPLICATE_PENALTY = 1.0

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
