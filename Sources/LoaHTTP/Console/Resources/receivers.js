// The "receivers" page's script (issue 16).
"use strict";
