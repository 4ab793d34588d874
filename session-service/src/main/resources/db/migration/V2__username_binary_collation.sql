-- Usernames are compared byte for byte: under the schema's case- and accent-insensitive default
-- collation, `Alice`, `alice` and `alice ` were one row to the database but three names to the code
-- (and to the login throttle). Stored names are canonical (lower case, no spaces: Usernames.java).
ALTER TABLE account MODIFY username VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
