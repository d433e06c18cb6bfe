// Progressive enhancement of the reader; the page works without it.
"use strict";
