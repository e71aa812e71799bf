import type { Migration } from './client.js'

/**
 * Migrations 7–9 (issue 5): predictions, the model registry, training runs and drift events.
 * Written in the SQL subset DuckDB and PostgreSQL share; `double` is the engine's double type.
 * PostgreSQL gets an index on predictions per asset and time; DuckDB's zone maps serve its scans.
 */
export function registryMigrations(double: string, indexes: boolean): Migration[] {
  return [
    {
      version: 7,
      name: 'predictions',
      sql: `
CREATE TABLE predictions (
  tenant_id VARCHAR NOT NULL, asset_id VARCHAR NOT NULL, ts BIGINT NOT NULL, kind VARCHAR NOT NULL, source VARCHAR NOT NULL,
  model VARCHAR, version INTEGER, deployment VARCHAR, value ${double} NOT NULL, details VARCHAR)${indexes ? ';\nCREATE INDEX predictions_asset_ts ON predictions (tenant_id, asset_id, ts)' : ''}`,
    },
    {
      version: 8,
      name: 'model registry: models, versions, deployments',
      sql: `
CREATE TABLE models (
  tenant_id VARCHAR NOT NULL, name VARCHAR NOT NULL, kind VARCHAR NOT NULL, description VARCHAR NOT NULL, gates VARCHAR NOT NULL,
  created_by VARCHAR NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, name));
CREATE TABLE model_versions (
  tenant_id VARCHAR NOT NULL, model VARCHAR NOT NULL, version INTEGER NOT NULL, flavour VARCHAR NOT NULL,
  artifact_key VARCHAR NOT NULL, artifact_sha256 VARCHAR NOT NULL, artifact_bytes BIGINT NOT NULL,
  signature VARCHAR NOT NULL, params VARCHAR NOT NULL, metrics VARCHAR NOT NULL, training_fingerprint VARCHAR,
  reference VARCHAR, run_id VARCHAR, created_by VARCHAR NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, model, version));
CREATE TABLE model_deployments (
  tenant_id VARCHAR NOT NULL, model VARCHAR NOT NULL, id INTEGER NOT NULL, spec VARCHAR NOT NULL, action VARCHAR NOT NULL,
  actor VARCHAR NOT NULL, reason VARCHAR NOT NULL, restored_from INTEGER, created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, model, id))`,
    },
    {
      version: 9,
      name: 'training runs and drift events',
      sql: `
CREATE TABLE training_runs (
  tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, model VARCHAR NOT NULL, status VARCHAR NOT NULL, spec VARCHAR NOT NULL,
  params VARCHAR NOT NULL, metrics VARCHAR NOT NULL, artifacts VARCHAR NOT NULL, logs VARCHAR NOT NULL, version INTEGER,
  created_by VARCHAR NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT, PRIMARY KEY (tenant_id, id));
CREATE TABLE model_drift_events (
  tenant_id VARCHAR NOT NULL, model VARCHAR NOT NULL, version INTEGER NOT NULL, ts BIGINT NOT NULL, report VARCHAR NOT NULL)`,
    },
  ]
}
