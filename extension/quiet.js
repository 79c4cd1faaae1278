// Registered by the options page only while the admin has turned the launcher off on console pages
// unrelated to the connection. It runs in the page agent's isolated world and tells the agent so,
// without the agent having to ask the extension's storage on every page (that alone would cost
// each page more than the rest of the agent does there).
globalThis.__oktaHelperQuiet = true;
