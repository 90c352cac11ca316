module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // Types generated from proto/ by `yarn generate:grpc-types` (postinstall).
  ignorePatterns: ['src/grpc/generated/'],
});
