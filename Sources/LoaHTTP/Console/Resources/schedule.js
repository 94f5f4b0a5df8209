// The "schedule" page's script (issue 16).
"use strict";
