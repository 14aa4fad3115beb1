// Stands in for a bundled function: the saga tests run the handlers' source modules in process, so only the file's existence matters.
module.exports = { handler: async () => ({}) };
