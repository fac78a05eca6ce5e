-- The warehouse behind end-to-end deploys: the emulator's built-in users table, with the columns
-- the generated stacks (test/support/large-stack.ts) also select.
ALTER TABLE users ADD COLUMN company VARCHAR;
ALTER TABLE users ADD COLUMN website VARCHAR;
ALTER TABLE users ADD COLUMN region VARCHAR;
UPDATE users SET
  company = 'Company ' || (id % 37),
  website = 'https://www.company' || (id % 37) || '.test',
  region = 'r' || (id % 10);
