// dellsocial: small progressive enhancements. Social text is only ever inserted as
// text (textContent), never as HTML.
"use strict";
