// Jest reads testTimeout only globally; each tier sets its own bound here.
jest.setTimeout(120000);
