import type { Migration } from './client.js'

/**
 * Metadata schema, written in the SQL subset DuckDB and PostgreSQL share.
 * References between tables are checked by the store code rather than by foreign
 * keys, because DuckDB's foreign keys forbid updating referenced rows.
 * Never edit a released migration: add a new one.
 */
export const META_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tenants, sites, assets, channels',
    sql: `
CREATE TABLE tenants (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE sites (
  tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, name VARCHAR NOT NULL,
  latitude DOUBLE PRECISION NOT NULL, longitude DOUBLE PRECISION NOT NULL, timezone VARCHAR NOT NULL,
  created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE assets (
  tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, site_id VARCHAR, parent_id VARCHAR, type VARCHAR NOT NULL,
  name VARCHAR NOT NULL, metadata VARCHAR NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE SEQUENCE channel_key_seq START 1;
CREATE TABLE channels (
  key INTEGER PRIMARY KEY, tenant_id VARCHAR NOT NULL, asset_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
  unit VARCHAR, min_value DOUBLE PRECISION, max_value DOUBLE PRECISION, created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, asset_id, name))`,
  },
  {
    version: 2,
    name: 'users, api keys, refresh tokens, settings',
    sql: `
CREATE TABLE users (
  id VARCHAR PRIMARY KEY, tenant_id VARCHAR NOT NULL, username VARCHAR NOT NULL UNIQUE, password_hash VARCHAR NOT NULL,
  role VARCHAR NOT NULL, platform_admin BOOLEAN NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE api_keys (
  id VARCHAR PRIMARY KEY, tenant_id VARCHAR NOT NULL, name VARCHAR NOT NULL, role VARCHAR NOT NULL,
  secret_hash VARCHAR NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE TABLE refresh_tokens (
  token_hash VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, expires_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  },
]
