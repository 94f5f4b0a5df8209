// The Today page's script (issue 16).
"use strict";
