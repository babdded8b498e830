#!/usr/bin/env python3
"""
Writes the bundled sample site under tests/sample/site/ and its URL list
template tests/sample/urls.in.  The generated files are committed; run this
again only after changing the texts below (python3 make-site.py).

Four made-up sites, one per loopback address, each with its own layout and
the clutter real pages carry (cookie banners, navigation, share buttons,
related links, comment forms, scripts, footers):

  127.0.0.2  news/      The Millbrook Courier, local news in English
  127.0.0.3  blog/      Byte Garden, a programming blog in English
  127.0.0.4  kueche/    Küchennotizen, a German cooking and travel blog;
                        half its pages in ISO-8859-1 (by header or by meta)
  127.0.0.5  carnet/    Le Carnet du voyageur, a French travel magazine

Every text here was written for this fixture.
"""

import html
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# --- The Millbrook Courier ------------------------------------------------

NEWS = [
    ("council-footbridge", "Council approves new footbridge over the Mill River",
     "Hannah Price", "2026-10-02",
     ["Millbrook's town council voted seven to two on Tuesday evening to "
      "build a pedestrian footbridge across the Mill River, linking the "
      "Station Road car park with the market square.",
      "The bridge, a steel truss about forty metres long, is expected to "
      "cost 1.8 million pounds. Most of the money comes from a regional "
      "transport grant; the rest will be drawn from the council's own "
      "reserves over three years.",
      "Councillor Rita Okafor, who chairs the planning committee, said "
      "the crossing would take pressure off the narrow road bridge, where "
      "pedestrians currently share a single pavement with lorries heading "
      "for the industrial estate.",
      "The two councillors who voted against the plan argued that the "
      "money would be better spent on repairing the existing bridge. "
      "Construction is due to begin next spring and to last about nine "
      "months."]),
    ("library-hours", "Library extends weekend opening hours",
     "Tom Whitfield", "2026-10-05",
     ["Millbrook Library will open on Sunday afternoons from next month, "
      "the first time in more than a decade that residents can borrow "
      "books on both days of the weekend.",
      "The change follows a survey in which almost two thousand readers "
      "asked for longer hours. Staff rotas have been reorganised so that "
      "no additional posts are needed, according to the head librarian, "
      "Margaret Dunne.",
      "The reading room, the children's corner and the local history "
      "archive will all be open between noon and five o'clock. The "
      "computer suite will follow in January once new machines arrive."]),
    ("harvest-festival", "Harvest festival draws a record crowd",
     "Priya Shah", "2026-10-09",
     ["An estimated twelve thousand people visited the annual harvest "
      "festival on the village green over the weekend, beating the "
      "previous record set three years ago.",
      "Stallholders reported brisk trade in apple juice, cheese and "
      "preserves, while the giant marrow competition was won for the "
      "second year running by retired postman Alan Birch, whose entry "
      "weighed just over sixty kilograms.",
      "Organisers thanked more than two hundred volunteers and said the "
      "proceeds, still being counted, would go to the community minibus "
      "fund and to the repair of the bandstand roof."]),
    ("river-levels", "River levels fall after weekend storm",
     "Hannah Price", "2026-10-14",
     ["Water levels on the Mill River fell steadily on Monday after "
      "heavy rain on Saturday night pushed the river close to the top of "
      "its banks near the old tannery.",
      "The flood barrier at Weir Lane was raised for the first time "
      "since it was installed, and the environment agency said it had "
      "worked as designed. A handful of gardens on Riverside Close were "
      "flooded, but no homes were affected.",
      "Residents are asked to report blocked drains to the council's "
      "highways team. Sandbags remain available at the fire station "
      "until the end of the month."]),
    ("robotics-team", "School robotics team wins regional final",
     "Tom Whitfield", "2026-10-17",
     ["A team of six pupils from Millbrook High School has won the "
      "regional final of the schools robotics challenge, beating "
      "twenty-three other teams with a robot built largely from "
      "recycled parts.",
      "The robot, nicknamed Clank, had to sort coloured blocks, climb "
      "a ramp and return to its starting square in under three minutes. "
      "It completed the course in two minutes and eleven seconds.",
      "The team now goes forward to the national final in Birmingham in "
      "March. Their physics teacher, Daniel Ng, said the pupils had "
      "spent most of their lunch breaks since September on the project."]),
    ("elm-street-bakery", "Elm Street bakery celebrates fifty years",
     "Priya Shah", "2026-10-21",
     ["Crowds queued along Elm Street on Saturday morning as Hollis & "
      "Daughter, the town's oldest bakery, marked fifty years of "
      "trading with free slices of its famous treacle tart.",
      "The shop was opened in 1976 by George Hollis, who still comes in "
      "at five o'clock most mornings to light the ovens. His daughter "
      "Susan took over the business in 2004 and has added a small cafe "
      "at the back.",
      "Asked for the secret of the bakery's success, Mr Hollis said: "
      "good flour, patience, and never changing a recipe that customers "
      "love."]),
    ("bus-route-12", "Bus route 12 diverted during roadworks",
     "Hannah Price", "2026-10-24",
     ["The number 12 bus will not serve Castle Street for six weeks "
      "from Monday while the gas network replaces mains beneath the "
      "road.",
      "Buses will run via Queen's Avenue and Park Lane instead, with "
      "temporary stops outside the leisure centre and the health "
      "clinic. Timetables are otherwise unchanged.",
      "The bus company apologised for the disruption and advised "
      "passengers with mobility needs to allow extra time for their "
      "journeys."]),
    ("tree-planting", "Volunteers plant four hundred trees along the ring road",
     "Tom Whitfield", "2026-10-28",
     ["Around ninety volunteers spent Sunday planting oak, rowan and "
      "wild cherry saplings along the verges of the ring road, part of "
      "a plan to create a green corridor around the town.",
      "The trees were donated by a national woodland charity. Each "
      "sapling is protected by a biodegradable guard and will be "
      "watered by volunteers through its first summer.",
      "A further six hundred trees are due to be planted in February "
      "along the old railway path."]),
    ("orchestra-season", "Millbrook Sinfonia announces winter season",
     "Priya Shah", "2026-11-02",
     ["The Millbrook Sinfonia will open its winter season on the second "
      "Saturday of December with a programme of Haydn, Elgar and a new "
      "piece by local composer Leah Morgan.",
      "The amateur orchestra, founded in 1952, now has more than sixty "
      "members ranging in age from fifteen to eighty-four. Concerts take "
      "place in St Mary's Church, where the acoustics are said to suit "
      "strings particularly well.",
      "Tickets cost twelve pounds, with free entry for under-eighteens. "
      "The orchestra is also looking for a second bassoonist."]),
]

# --- Byte Garden ------------------------------------------------------------

BLOG = [
    ("log-rotation", "Why your log files need rotation",
     "2026-09-12",
     ["Every long-running program writes logs, and every log grows until "
      "something stops it. Usually that something is a full disk at "
      "three in the morning.",
      "Rotation is the simple habit of closing the current file after a "
      "size or a time limit, renaming it, and starting a fresh one. Old "
      "files get compressed and, after a while, deleted.",
      "The subtle part is telling the program that its file has moved. "
      "A process that keeps writing to an open descriptor will happily "
      "fill a renamed file forever. Either the program reopens its log "
      "on a signal, or the rotation tool copies and truncates the file, "
      "losing a few lines in the gap.",
      "If you write the program yourself, prefer the signal: it is "
      "cheap, exact, and every rotation tool knows how to send one."]),
    ("token-buckets", "A gentle introduction to token buckets",
     "2026-09-19",
     ["Imagine a bucket that fills with tokens at a steady rate, say "
      "five per second, and never holds more than a fixed number. Each "
      "request you want to send takes one token out. No token, no "
      "request: you wait.",
      "That is the whole algorithm, and it gives you two knobs. The "
      "rate sets the long-run average, and the bucket size sets how big "
      "a burst you allow after a quiet spell.",
      "For polite crawling the burst should be one. A server that sees "
      "ten requests arrive at once after a pause does not care that "
      "your average over the minute was low.",
      "The implementation needs no timer: store the time of the last "
      "update and the token count, and top up the bucket lazily whenever "
      "someone asks for a token."]),
    ("http-by-hand", "Reading HTTP headers by hand",
     "2026-09-26",
     ["Open a terminal, connect to a web server on port 80 and type a "
      "request line, a Host header and an empty line. What comes back "
      "is the most useful debugging lesson on the web.",
      "The status line tells you the version and the code. The headers "
      "tell you how long the body is, or that it comes in chunks, what "
      "type it is, how it is compressed, and whether the connection "
      "will stay open.",
      "Most bugs in HTTP clients come from trusting one of these "
      "headers too much: a length that lies, a type that is wrong, a "
      "charset that is missing. Real servers get every one of them "
      "wrong sooner or later."]),
    ("bytes-not-characters", "Bytes are not characters",
     "2026-10-03",
     ["A byte is eight bits. A character is an idea: the letter e with "
      "an acute accent, a Chinese ideograph, an emoji. UTF-8 is the "
      "agreement that maps one onto the other, using one to four bytes "
      "per character.",
      "Trouble starts when a program guesses. A page declared as "
      "Latin-1 but written in UTF-8 shows doubled accents; the reverse "
      "produces invalid sequences that some decoders reject outright.",
      "The safest rule for a tool that stores text is to decode once, "
      "at the edge, with a declared or detected charset, and to write "
      "only valid UTF-8, replacing what cannot be decoded with the "
      "replacement character rather than passing garbage along."]),
    ("backpressure", "Backpressure, explained with a kitchen sink",
     "2026-10-10",
     ["Water flows into a sink from the tap and out through the drain. "
      "If the tap runs faster than the drain, the sink fills, and "
      "eventually the floor gets wet.",
      "Software pipelines have the same problem. A fast producer "
      "feeding a slow consumer through an unbounded queue does not "
      "fail quickly; it eats memory slowly and then falls over.",
      "Backpressure means the consumer's slowness travels upstream: the "
      "queue has a fixed size, and when it is full the producer stops "
      "taking new work. Nothing is lost, and memory stays flat."]),
    ("compression-formats", "Choosing a compression format for text archives",
     "2026-10-17",
     ["Plain text compresses well, and large text collections are "
      "almost always stored compressed. The question is which format.",
      "Gzip is everywhere and decompresses at a respectable speed, but "
      "its ratio is modest. Zstandard compresses better at the same "
      "speed, decompresses several times faster, and can be tuned from "
      "very fast to very small.",
      "For archives that are written once and read many times, "
      "Zstandard at a moderate level is hard to beat. Keep gzip for "
      "files that must open on any machine without extra tools."]),
    ("robots-txt", "What a robots.txt file really says",
     "2026-10-24",
     ["A robots.txt file is a polite request, not a lock. It lists "
      "groups of rules, each for one or more user agents, and each rule "
      "allows or disallows a path prefix.",
      "The most specific matching rule wins, so an Allow for a longer "
      "path overrides a Disallow for its parent directory. A missing "
      "file means everything is allowed; a server error means a careful "
      "crawler should assume nothing is.",
      "Some sites add a crawl delay, a number of seconds to wait "
      "between requests. It is not part of the standard, but honouring "
      "it costs little and avoids angry emails."]),
    ("three-timeouts", "The three timeouts you always forget",
     "2026-10-31",
     ["Network code needs at least three timeouts, and most programs "
      "set one. The first limits how long you wait for a connection to "
      "be established.",
      "The second limits the whole transfer, so that a server sending "
      "one byte per second cannot hold a connection for a week. The "
      "third limits idle time: no bytes at all for too long means the "
      "peer has gone away.",
      "Without all three, a single misbehaving server can quietly tie "
      "up a worker, and a pool of workers can be drained one stuck "
      "connection at a time."]),
]

# --- Küchennotizen (German; * marks an ISO-8859-1 page) ---------------------

KUECHE = [
    ("apfelkuchen", "Apfelkuchen nach Großmutters Art", "header",
     ["Jeden Herbst, wenn die ersten Boskoop-Äpfel reif sind, backe ich "
      "den Apfelkuchen meiner Großmutter. Das Rezept steht auf einer "
      "vergilbten Karteikarte, die nach Zimt riecht.",
      "Für den Mürbeteig braucht man 250 Gramm Mehl, 125 Gramm kalte "
      "Butter, 80 Gramm Zucker und ein Ei. Der Teig muss mindestens "
      "eine halbe Stunde im Kühlschrank ruhen.",
      "Die Äpfel werden geschält, geviertelt und fächerförmig "
      "eingeschnitten. Nach vierzig Minuten bei 180 Grad ist der Kuchen "
      "goldbraun. Dazu gehört natürlich Schlagsahne."]),
    ("sauerteig", "Sauerteig: die ersten zwei Wochen", "meta",
     ["Ein eigener Sauerteig klingt kompliziert, braucht aber nur Mehl, "
      "Wasser und Geduld. Ich habe mit Roggenvollkornmehl angefangen, "
      "weil es besonders viele wilde Hefen enthält.",
      "In den ersten Tagen passiert scheinbar nichts. Am vierten Tag "
      "roch das Glas säuerlich, am sechsten war es voller Bläschen. "
      "Ab dann wird jeden Tag die Hälfte weggenommen und neu gefüttert.",
      "Nach zwei Wochen war der Teig kräftig genug für das erste Brot. "
      "Es war flach und etwas zu sauer, aber es schmeckte großartig."]),
    ("kuerbissuppe", "Kürbissuppe für kalte Tage", None,
     ["Wenn draußen der Nebel über den Feldern liegt, gibt es bei uns "
      "Kürbissuppe. Am liebsten nehme ich Hokkaido, weil man die Schale "
      "nicht entfernen muss.",
      "Zwiebeln und ein Stück Ingwer in Butter andünsten, den "
      "gewürfelten Kürbis dazugeben, mit Gemüsebrühe aufgießen und "
      "zwanzig Minuten köcheln lassen. Dann fein pürieren.",
      "Ein Schuss Kokosmilch macht die Suppe cremig, geröstete "
      "Kürbiskerne sorgen für Biss. Mit frischem Brot reicht sie als "
      "Hauptgericht für vier Personen."]),
    ("schwaebische-alb", "Wanderung über die Schwäbische Alb", "header",
     ["Der Albtrauf ist an einem klaren Oktobertag einer der schönsten "
      "Wanderwege Süddeutschlands. Wir sind in Bad Urach gestartet und "
      "über den Wasserfall zum Hohen Urach aufgestiegen.",
      "Oben weitet sich der Blick über das Ermstal bis zu den Höhen "
      "des Schwarzwalds. Die Buchen leuchten gelb und rot, und auf den "
      "Wacholderheiden grasen Schafe.",
      "Nach etwa fünfzehn Kilometern und sechshundert Höhenmetern "
      "haben wir uns im Gasthaus eine Portion Maultaschen verdient."]),
    ("luebeck", "Ein Wochenende in Lübeck", "http-equiv",
     ["Lübeck ist die Stadt des Marzipans, der Backsteingotik und des "
      "Holstentors. Vom Bahnhof sind es nur wenige Minuten zu Fuß bis "
      "in die Altstadt, die ganz auf einer Insel liegt.",
      "Am Samstag haben wir die Marienkirche besucht und sind durch "
      "die schmalen Gänge zwischen den Häusern gestreift. Manche sind "
      "so eng, dass man die Wände mit beiden Händen berühren kann.",
      "Am Sonntag ging es mit dem Zug nach Travemünde an die Ostsee. "
      "Der Wind war kalt, der Fisch frisch und der Strand fast leer."]),
    ("brotbacken", "Die Kunst des Brotbackens", None,
     ["Gutes Brot braucht vor allem Zeit. Ein Teig, der über Nacht im "
      "Kühlschrank gehen darf, entwickelt mehr Aroma als jeder "
      "Backmischungsteig aus dem Supermarkt.",
      "Wichtig ist die Hitze: Ein vorgeheizter gusseiserner Topf "
      "speichert Wärme und Dampf und sorgt für eine knusprige Kruste. "
      "Nach dreißig Minuten wird der Deckel abgenommen.",
      "Das fertige Brot klingt hohl, wenn man auf den Boden klopft. "
      "Und so schwer es fällt: Es sollte eine Stunde abkühlen, bevor "
      "man es anschneidet."]),
    ("balkon-fruehling", "Frühling auf dem Balkon", "meta",
     ["Auch auf drei Quadratmetern lässt sich gärtnern. Im März säe ich "
      "Tomaten, Paprika und Basilikum auf der Fensterbank vor, im Mai "
      "ziehen die Pflanzen nach draußen.",
      "Radieschen und Pflücksalat wachsen in Balkonkästen erstaunlich "
      "schnell. Erdbeeren gedeihen in einer Ampel, wo die Schnecken "
      "nicht hinkommen.",
      "Das Schönste ist der erste Salat der Saison, geerntet fünf "
      "Minuten vor dem Abendessen."]),
    ("gewuerze", "Über Gewürze und Geduld", None,
     ["Kreuzkümmel, Koriandersamen und Kardamom entfalten ihr Aroma "
      "erst richtig, wenn man sie kurz in einer trockenen Pfanne "
      "röstet und dann frisch mörsert.",
      "Gemahlene Gewürze verlieren nach einigen Monaten viel von ihrem "
      "Geschmack. Ich kaufe deshalb lieber kleine Mengen ganzer Samen "
      "und bewahre sie dunkel und luftdicht auf.",
      "Eine gute Gewürzmischung ist wie ein Gespräch: Keine Stimme "
      "sollte die anderen übertönen."]),
]

# --- Le Carnet du voyageur ----------------------------------------------------

CARNET = [
    ("trois-jours-lyon", "Trois jours à Lyon",
     ["Lyon se découvre à pied, des traboules de la Croix-Rousse aux "
      "ruelles pavées du Vieux-Lyon. Ces passages secrets traversent les "
      "immeubles et permettaient autrefois aux canuts de transporter la "
      "soie à l'abri de la pluie.",
      "Le deuxième jour, nous avons gravi la colline de Fourvière pour "
      "admirer la ville depuis l'esplanade de la basilique, puis visité "
      "les théâtres romains.",
      "Impossible de quitter Lyon sans un dîner dans un bouchon : "
      "saucisson brioché, quenelles sauce Nantua et, pour finir, une "
      "tarte aux pralines d'un rose éclatant."]),
    ("marches-provencaux", "La cuisine des marchés provençaux",
     ["Le marché du samedi à Apt est une fête pour les sens : "
      "montagnes de tomates, melons de Cavaillon, fromages de chèvre "
      "et bouquets de lavande séchée.",
      "Les producteurs conseillent volontiers leurs clients. Une "
      "maraîchère nous a expliqué comment préparer une vraie "
      "ratatouille, en cuisant chaque légume séparément.",
      "Nous sommes repartis avec un panier trop lourd, une bouteille "
      "d'huile d'olive et la promesse de revenir l'été prochain."]),
    ("randonnee-vosges", "Randonnée dans les Vosges",
     ["Le sentier des crêtes offre des vues spectaculaires sur la "
      "plaine d'Alsace d'un côté et sur les lacs lorrains de l'autre.",
      "Nous avons marché du col de la Schlucht jusqu'au Hohneck, le "
      "troisième sommet du massif, à travers des chaumes où paissent "
      "les vaches vosgiennes.",
      "Le soir, dans une ferme-auberge, on nous a servi le repas "
      "marcaire : tourte à la viande, pommes de terre et munster "
      "fondant."]),
    ("velo-en-ville", "Le vélo en ville : mode d'emploi",
     ["De plus en plus de citadins choisissent le vélo pour aller "
      "travailler. Quelques règles simples rendent les trajets plus "
      "sûrs et plus agréables.",
      "Un bon antivol en U, des lumières puissantes et un gilet "
      "réfléchissant en hiver sont indispensables. Mieux vaut rouler à "
      "un mètre des voitures garées pour éviter les portières.",
      "Enfin, l'itinéraire le plus court n'est pas toujours le "
      "meilleur : une rue calme parallèle à un grand boulevard fait "
      "souvent gagner du temps et des nerfs."]),
    ("phares-bretagne", "Les phares de Bretagne",
     ["La côte bretonne compte des dizaines de phares, dont certains "
      "se visitent. Celui d'Eckmühl, à Penmarc'h, domine la mer du haut "
      "de ses soixante mètres.",
      "Il faut gravir trois cent sept marches pour atteindre la "
      "lanterne, mais la récompense est immense : un panorama sur la "
      "baie d'Audierne et les rochers battus par les vagues.",
      "Les gardiens de phare ont disparu, remplacés par des systèmes "
      "automatiques, mais leurs récits de tempêtes restent gravés dans "
      "la mémoire des villages."]),
    ("cafe-montmartre", "Un café à Montmartre",
     ["Tôt le matin, avant l'arrivée des touristes, Montmartre "
      "retrouve son air de village. Les peintres installent leurs "
      "chevalets place du Tertre et les boulangeries sentent le pain "
      "chaud.",
      "Nous avons pris un café crème sur une petite terrasse de la rue "
      "Lepic, en regardant passer les habitants du quartier.",
      "En redescendant par les escaliers de la rue Foyatier, Paris "
      "s'étendait à nos pieds, encore un peu voilé par la brume."]),
    ("fromages-auvergne", "Fromages d'Auvergne",
     ["L'Auvergne produit cinq fromages d'appellation d'origine : le "
      "cantal, le saint-nectaire, le salers, la fourme d'Ambert et le "
      "bleu d'Auvergne.",
      "À Besse, un affineur nous a fait visiter ses caves, où les "
      "meules de saint-nectaire mûrissent sur des planches d'épicéa "
      "pendant au moins vingt-huit jours.",
      "La dégustation s'est terminée par une truffade, ce plat de "
      "pommes de terre et de tomme fraîche qui réchauffe les soirs "
      "d'hiver."]),
]

COOKIE = """<div id="cookie-banner" class="cookie-consent" role="dialog">
<p>{text}</p>
<button type="button">{ok}</button> <button type="button">{no}</button>
</div>"""

TRACKER = """<script>
window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
gtag('js', new Date()); gtag('config', 'UA-000000-0');
document.addEventListener('DOMContentLoaded', function () {
  var b = document.getElementById('cookie-banner');
  if (localStorage.getItem('consent')) { b.style.display = 'none'; }
});
</script>"""


def esc(s):
    return html.escape(s, quote=True)


def paras(ps):
    return "\n".join(f"<p>{esc(p)}</p>" for p in ps)


def write(path, text, encoding="utf-8"):
    full = os.path.join(HERE, "site", path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(text.encode(encoding))


# --- layouts ------------------------------------------------------------------

def news_page(title, body, extra_head="", canonical=""):
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} | The Millbrook Courier</title>
<link rel="stylesheet" href="/static/courier.css">
{canonical}{extra_head}
<style>.masthead{{font-family:Georgia,serif}} .ad-slot{{min-height:250px}}</style>
</head>
<body>
{COOKIE.format(text="We use cookies to measure our audience and to show you local adverts. You can change your choice at any time.", ok="Accept all", no="Reject")}
<header class="masthead">
<a href="/" class="logo">The Millbrook Courier</a>
<p class="tagline">Serving Millbrook and the valley since 1887</p>
</header>
<nav class="main-nav"><ul>
<li><a href="/">Home</a></li><li><a href="/news/">News</a></li>
<li><a href="/about.html">About us</a></li><li><a href="/subscribe">Subscribe</a></li>
</ul></nav>
<div class="ad-slot">Advertisement</div>
{body}
<footer>
<p>&copy; 2026 The Millbrook Courier. All rights reserved.</p>
<p><a href="/about.html">Contact the newsroom</a> &middot; <a href="/privacy">Privacy policy</a></p>
</footer>
{TRACKER}
</body>
</html>
"""


def news_article(slug, title, author, date, ps, others):
    related = "\n".join(f'<li><a href="/news/{s}.html">{esc(t)}</a></li>'
                        for s, t, *_ in others)
    body = f"""<main id="content">
<article class="story">
<h1>{esc(title)}</h1>
<p class="byline">By <span class="author">{esc(author)}</span>,
<time datetime="{date}">{date}</time></p>
<div class="share"><a href="#">Share on social media</a> <a href="#">Email this story</a></div>
{paras(ps)}
</article>
<section class="comments">
<h2>Comments</h2>
<form action="/comment" method="post"><textarea name="c">Write your comment here</textarea>
<button>Post comment</button></form>
</section>
</main>
<aside class="related"><h2>More local news</h2><ul>
{related}
</ul></aside>"""
    return news_page(title, body)


def blog_page(title, body, date=None):
    meta = f'<meta name="date" content="{date}">\n' if date else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="UTF-8">
{meta}<title>{esc(title)} - Byte Garden</title>
<script src="/static/highlight.js" defer></script>
<script>var theme = localStorage.getItem("theme") || "light";</script>
</head>
<body class="theme-light">
<div class="site">
<div class="topbar"><nav>
<a href="/">Byte Garden</a> | <a href="/posts/">Posts</a> | <a href="/about.html">About</a> | <a href="/feed.xml">RSS</a>
</nav></div>
<div class="layout">
<div class="sidebar" role="complementary">
<aside><h3>Tags</h3><ul><li>networking</li><li>unix</li><li>text</li></ul>
<h3>Newsletter</h3><form><input type="email" placeholder="you@example.org"><button>Subscribe</button></form></aside>
</div>
<div class="post">
{body}
</div>
</div>
<footer class="site-footer">Byte Garden is written by one person in a shed. Content licensed CC BY 4.0.</footer>
</div>
</body>
</html>
"""


def blog_article(slug, title, date, ps):
    body = f"""<h1 class="post-title">{esc(title)}</h1>
<div class="post-meta">Posted on {date} &middot; 4 min read</div>
<div class="post-body">
{paras(ps)}
</div>
<div class="post-nav"><a href="/posts/">&larr; All posts</a></div>"""
    return blog_page(title, body, date)


def kueche_page(title, body, decl):
    if decl == "meta":
        head = '<meta charset="iso-8859-1">'
    elif decl == "http-equiv":
        head = ('<meta http-equiv="Content-Type" '
                'content="text/html; charset=ISO-8859-1">')
    elif decl == "header":
        head = ""           # the server sends the charset (.latin1.html)
    else:
        head = '<meta charset="utf-8">'
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
{head}
<title>{esc(title)} &ndash; Küchennotizen</title>
<meta name="description" content="Rezepte, Reisen und Gartenglück">
</head>
<body>
{COOKIE.format(text="Diese Website verwendet Cookies, um Ihnen das beste Erlebnis zu bieten.", ok="Alle akzeptieren", no="Nur notwendige")}
<header><div class="brand">Küchennotizen</div>
<nav><a href="/">Startseite</a> · <a href="/rezepte/">Rezepte</a> · <a href="/impressum.html">Impressum</a></nav>
</header>
<div id="main">
{body}
</div>
<aside><h4>Beliebte Beiträge</h4><p>Apfelkuchen · Sauerteig · Kürbissuppe</p></aside>
<footer><p>© 2026 Küchennotizen · Alle Rechte vorbehalten · Datenschutz</p></footer>
</body>
</html>
"""


def kueche_article(title, ps, decl):
    body = f"""<article>
<h1>{esc(title)}</h1>
<div class="meta">Veröffentlicht in Rezepte &amp; Reisen</div>
{paras(ps)}
<div class="share-buttons">Teilen: Facebook · Pinterest · WhatsApp</div>
</article>
<section id="kommentare"><h3>3 Kommentare</h3>
<p>Das probiere ich am Wochenende aus!</p></section>"""
    return kueche_page(title, body, decl)


def carnet_page(title, body):
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(title)} — Le Carnet du voyageur</title>
<link rel="alternate" type="application/rss+xml" href="/rss">
</head>
<body>
<div class="bandeau-cookies" id="cookie-banner"><p>En poursuivant votre navigation, vous acceptez l'utilisation de cookies.</p><a href="#">J'accepte</a></div>
<div id="entete"><div class="logo">Le Carnet du voyageur</div>
<ul class="menu"><li><a href="/">Accueil</a></li><li><a href="/destinations/">Destinations</a></li><li><a href="/apropos.html">À propos</a></li></ul>
</div>
<div id="page">
<div id="contenu">
{body}
</div>
<div id="colonne"><div class="widget"><h3>Newsletter</h3><form><input name="email"><input type="submit" value="S'inscrire"></form></div></div>
</div>
<div id="pied">Le Carnet du voyageur · Mentions légales · Plan du site</div>
<script async src="/static/stats.js"></script>
</body>
</html>
"""


def carnet_article(title, ps):
    body = f"""<div class="article">
<h1 class="titre">{esc(title)}</h1>
<div class="chapo"><strong>Carnet de route</strong> — texte et photos de la rédaction</div>
{paras(ps)}
<div class="partage">Partager : Twitter · Facebook · Courriel</div>
</div>"""
    return carnet_page(title, body)


def main():
    urls = []

    def add(addr, path):
        urls.append(f"http://{addr}:@PORT@{path}")

    # The Millbrook Courier
    items = "\n".join(f'<li><a href="/news/{s}.html">{esc(t)}</a> <span>{d}</span></li>'
                      for s, t, a, d, p in NEWS)
    write("news/index.html", news_page(
        "Home", f"""<main><h1>Latest news from Millbrook</h1>
<p>The Millbrook Courier has covered the town's council, schools, shops and
clubs for well over a century. Here are this month's stories.</p>
<ul class="story-list">
{items}
</ul></main>"""))
    add("127.0.0.2", "/")
    for i, (s, t, a, d, p) in enumerate(NEWS):
        others = [x for x in NEWS if x[0] != s][i % 3:i % 3 + 3]
        write(f"news/news/{s}.html", news_article(s, t, a, d, p, others))
        add("127.0.0.2", f"/news/{s}.html")
    write("news/about.html", news_page("About us", """<main><h1>About the Courier</h1>
<p>The Millbrook Courier is an independent weekly newspaper, published every
Thursday and online every day. Our newsroom of five reporters lives and works
in the valley.</p>
<p>Send news tips, letters and photographs to the newsroom at 14 Market
Square, or drop in between nine and five on weekdays.</p></main>"""))
    add("127.0.0.2", "/about.html")

    # Byte Garden
    items = "\n".join(f'<li><a href="/posts/{s}.html">{esc(t)}</a> ({d})</li>'
                      for s, t, d, p in BLOG)
    write("blog/index.html", blog_page("Posts", f"""<h1>Recent posts</h1>
<p>Short essays about the plumbing of the internet: protocols, text, queues
and the small habits that keep programs running for years.</p>
<ul>{items}</ul>"""))
    add("127.0.0.3", "/")
    for s, t, d, p in BLOG:
        write(f"blog/posts/{s}.html", blog_article(s, t, d, p))
        add("127.0.0.3", f"/posts/{s}.html")
    write("blog/about.html", blog_page("About", """<h1>About Byte Garden</h1>
<p>I have written network software for twenty years, most of it boring on
purpose. This blog collects the lessons that took me longest to learn.</p>
<p>Corrections are welcome by email; I read everything, slowly.</p>"""))
    add("127.0.0.3", "/about.html")

    # Küchennotizen
    items = " ".join(f'<li><a href="/rezepte/{s}{".latin1" if d == "header" else ""}.html">{esc(t)}</a></li>'
                     for s, t, d, p in KUECHE)
    write("kueche/index.html", kueche_page("Startseite", f"""<h1>Willkommen bei den Küchennotizen</h1>
<p>Hier schreibe ich über das, was bei uns auf den Tisch kommt, über Ausflüge
in die Umgebung und über das Gärtnern auf kleinstem Raum.</p>
<ul>{items}</ul>""", None))
    add("127.0.0.4", "/")
    for s, t, d, p in KUECHE:
        latin1 = d is not None
        name = f"rezepte/{s}{'.latin1' if d == 'header' else ''}.html"
        write("kueche/" + name, kueche_article(t, p, d),
              "iso-8859-1" if latin1 else "utf-8")
        add("127.0.0.4", "/" + name)
    write("kueche/impressum.latin1.html", kueche_page("Impressum", """<h1>Impressum</h1>
<p>Verantwortlich für den Inhalt: Jürgen Müller, Gärtnerstraße 5,
Musterstadt. Alle Rezepte sind selbst ausprobiert, Fotos und Texte sind
urheberrechtlich geschützt.</p>""", "header"), "iso-8859-1")
    add("127.0.0.4", "/impressum.latin1.html")

    # Le Carnet du voyageur
    items = "".join(f'<li><a href="/destinations/{s}.html">{esc(t)}</a></li>'
                    for s, t, p in CARNET)
    write("carnet/index.html", carnet_page("Accueil", f"""<h1>Le Carnet du voyageur</h1>
<p>Nos récits de voyage en France : villes, montagnes, côtes et tables
généreuses, racontés par une petite équipe de marcheurs curieux.</p>
<ul>{items}</ul>"""))
    add("127.0.0.5", "/")
    for s, t, p in CARNET:
        write(f"carnet/destinations/{s}.html", carnet_article(t, p))
        add("127.0.0.5", f"/destinations/{s}.html")
    write("carnet/apropos.html", carnet_page("À propos", """<h1>À propos</h1>
<p>Le Carnet du voyageur est né d'une envie simple : partager les bonnes
adresses et les beaux chemins découverts au fil de nos voyages.</p>"""))
    add("127.0.0.5", "/apropos.html")

    # Interleave the hosts, as a real URL list would be.
    by = {}
    for u in urls:
        by.setdefault(u.split("/")[2], []).append(u)
    out = []
    while any(by.values()):
        for k in sorted(by):
            if by[k]:
                out.append(by[k].pop(0))
    with open(os.path.join(HERE, "urls.in"), "w") as f:
        f.write("# The bundled sample site; tests/sample/run replaces @PORT@.\n")
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
