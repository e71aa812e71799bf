/**
 * Generated from the server's OpenAPI document by `npm run api-types` (scripts/api-types.ts,
 * openapi-typescript). Do not edit: change the route schemas in src/api/ and regenerate.
 * test/web/api-types.test.ts fails when this file is stale.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/detailed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Component status (authenticated) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the store answers and migrations are applied */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List alert rules */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description epoch ms */
                                createdAt: number;
                                critical?: number;
                                direction: "above" | "below";
                                enabled: boolean;
                                /** @description 0 = never */
                                escalateAfterMin: number;
                                escalateChannelIds: string[];
                                forSec: number;
                                hysteresis: number;
                                id: string;
                                kind: "threshold" | "rate_of_change" | "anomaly_score" | "health" | "rul" | "forecast" | "staleness" | "drift" | "model_error";
                                name: string;
                                scope: {
                                    assetId: string;
                                    /** @enum {string} */
                                    kind: "asset";
                                } | {
                                    assetType: string;
                                    /** @enum {string} */
                                    kind: "asset_type";
                                } | {
                                    /** @enum {string} */
                                    kind: "site";
                                    siteId: string;
                                } | {
                                    /** @enum {string} */
                                    kind: "tenant";
                                };
                                source?: string;
                                staleSec?: number;
                                /** @description a channel name or a feature (temp.w60.mean) */
                                target?: string;
                                template?: string;
                                tenantId: string;
                                /** @description epoch ms */
                                updatedAt: number;
                                warning?: number;
                                windowSec?: number;
                                withinHours?: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description A rule: name, kind, scope, target, direction, warning, critical, hysteresis, for, window, stale, withinHours, escalateAfter, escalateChannelIds, source, template */
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description epoch ms */
                            createdAt: number;
                            critical?: number;
                            direction: "above" | "below";
                            enabled: boolean;
                            /** @description 0 = never */
                            escalateAfterMin: number;
                            escalateChannelIds: string[];
                            forSec: number;
                            hysteresis: number;
                            id: string;
                            kind: "threshold" | "rate_of_change" | "anomaly_score" | "health" | "rul" | "forecast" | "staleness" | "drift" | "model_error";
                            name: string;
                            scope: {
                                assetId: string;
                                /** @enum {string} */
                                kind: "asset";
                            } | {
                                assetType: string;
                                /** @enum {string} */
                                kind: "asset_type";
                            } | {
                                /** @enum {string} */
                                kind: "site";
                                siteId: string;
                            } | {
                                /** @enum {string} */
                                kind: "tenant";
                            };
                            source?: string;
                            staleSec?: number;
                            /** @description a channel name or a feature (temp.w60.mean) */
                            target?: string;
                            template?: string;
                            tenantId: string;
                            /** @description epoch ms */
                            updatedAt: number;
                            warning?: number;
                            windowSec?: number;
                            withinHours?: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description epoch ms */
                            createdAt: number;
                            critical?: number;
                            direction: "above" | "below";
                            enabled: boolean;
                            /** @description 0 = never */
                            escalateAfterMin: number;
                            escalateChannelIds: string[];
                            forSec: number;
                            hysteresis: number;
                            id: string;
                            kind: "threshold" | "rate_of_change" | "anomaly_score" | "health" | "rul" | "forecast" | "staleness" | "drift" | "model_error";
                            name: string;
                            scope: {
                                assetId: string;
                                /** @enum {string} */
                                kind: "asset";
                            } | {
                                assetType: string;
                                /** @enum {string} */
                                kind: "asset_type";
                            } | {
                                /** @enum {string} */
                                kind: "site";
                                siteId: string;
                            } | {
                                /** @enum {string} */
                                kind: "tenant";
                            };
                            source?: string;
                            staleSec?: number;
                            /** @description a channel name or a feature (temp.w60.mean) */
                            target?: string;
                            template?: string;
                            tenantId: string;
                            /** @description epoch ms */
                            updatedAt: number;
                            warning?: number;
                            windowSec?: number;
                            withinHours?: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        /** Create or replace a rule */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            /** @description A rule: name, kind, scope, target, direction, warning, critical, hysteresis, for, window, stale, withinHours, escalateAfter, escalateChannelIds, source, template */
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description epoch ms */
                            createdAt: number;
                            critical?: number;
                            direction: "above" | "below";
                            enabled: boolean;
                            /** @description 0 = never */
                            escalateAfterMin: number;
                            escalateChannelIds: string[];
                            forSec: number;
                            hysteresis: number;
                            id: string;
                            kind: "threshold" | "rate_of_change" | "anomaly_score" | "health" | "rul" | "forecast" | "staleness" | "drift" | "model_error";
                            name: string;
                            scope: {
                                assetId: string;
                                /** @enum {string} */
                                kind: "asset";
                            } | {
                                assetType: string;
                                /** @enum {string} */
                                kind: "asset_type";
                            } | {
                                /** @enum {string} */
                                kind: "site";
                                siteId: string;
                            } | {
                                /** @enum {string} */
                                kind: "tenant";
                            };
                            source?: string;
                            staleSec?: number;
                            /** @description a channel name or a feature (temp.w60.mean) */
                            target?: string;
                            template?: string;
                            tenantId: string;
                            /** @description epoch ms */
                            updatedAt: number;
                            warning?: number;
                            windowSec?: number;
                            withinHours?: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules/apply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Apply a list of rules (JSON {rules: [...]}, or {yaml: "..."}): all are validated before any is stored */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        rules?: {
                            [key: string]: unknown;
                        }[];
                        yaml?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description epoch ms */
                                createdAt: number;
                                critical?: number;
                                direction: "above" | "below";
                                enabled: boolean;
                                /** @description 0 = never */
                                escalateAfterMin: number;
                                escalateChannelIds: string[];
                                forSec: number;
                                hysteresis: number;
                                id: string;
                                kind: "threshold" | "rate_of_change" | "anomaly_score" | "health" | "rul" | "forecast" | "staleness" | "drift" | "model_error";
                                name: string;
                                scope: {
                                    assetId: string;
                                    /** @enum {string} */
                                    kind: "asset";
                                } | {
                                    assetType: string;
                                    /** @enum {string} */
                                    kind: "asset_type";
                                } | {
                                    /** @enum {string} */
                                    kind: "site";
                                    siteId: string;
                                } | {
                                    /** @enum {string} */
                                    kind: "tenant";
                                };
                                source?: string;
                                staleSec?: number;
                                /** @description a channel name or a feature (temp.w60.mean) */
                                target?: string;
                                template?: string;
                                tenantId: string;
                                /** @description epoch ms */
                                updatedAt: number;
                                warning?: number;
                                windowSec?: number;
                                withinHours?: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Rules as inputs (what apply takes back) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                critical?: number;
                                direction?: string;
                                enabled?: boolean;
                                escalateAfter?: number | string;
                                escalateChannelIds?: string[];
                                for?: number | string;
                                hysteresis?: number;
                                id?: string;
                                kind?: string;
                                name?: string;
                                scope?: {
                                    assetId?: string;
                                    assetType?: string;
                                    siteId?: string;
                                } | "tenant";
                                source?: string;
                                stale?: number | string;
                                target?: string;
                                template?: string;
                                warning?: number;
                                window?: number | string;
                                withinHours?: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List alerts, newest first */
        get: {
            parameters: {
                query?: {
                    assetId?: string;
                    limit?: number;
                    offset?: number;
                    ruleId?: string;
                    severity?: "info" | "warning" | "critical";
                    /** @description epoch ms: alerts updated since */
                    since?: number;
                    siteId?: string;
                    state?: "active" | "pending" | "open" | "acknowledged" | "resolved";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description epoch ms */
                                acknowledgedAt: number | null;
                                acknowledgedBy: string | null;
                                assetId: string;
                                /** @description epoch ms */
                                escalatedAt: number | null;
                                evidence: {
                                    channels: string[];
                                    /** @description dashboard link to the asset's chart around the alert */
                                    link: string;
                                    modelVersion?: string;
                                    source?: string;
                                    thresholds: {
                                        critical?: number;
                                        direction: "above" | "below";
                                        hysteresis: number;
                                        warning?: number;
                                    };
                                    /** @description recent values of the target, oldest first */
                                    values: {
                                        /** @description epoch ms */
                                        ts: number;
                                        value: number;
                                    }[];
                                };
                                /** @description opened often in a short time: held open until calm, notified once */
                                flapping: boolean;
                                id: string;
                                kind: "threshold" | "rate_of_change" | "anomaly_score" | "health" | "rul" | "forecast" | "staleness" | "drift" | "model_error";
                                message: string;
                                /** @description epoch ms */
                                openedAt: number | null;
                                /** @description epoch ms */
                                resolvedAt: number | null;
                                resolvedBy: string | null;
                                ruleId: string;
                                ruleName: string;
                                severity: "info" | "warning" | "critical";
                                /** @description notifications held back by a silence (the alert itself is kept) */
                                silenced: boolean;
                                siteId: string | null;
                                /** @description epoch ms: when the condition first held (pending since) */
                                startedAt: number;
                                state: "pending" | "open" | "acknowledged" | "resolved";
                                tenantId: string;
                                /** @description the level that was crossed */
                                threshold: number;
                                /** @description epoch ms */
                                updatedAt: number;
                                value: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One alert with its evidence */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description epoch ms */
                            acknowledgedAt: number | null;
                            acknowledgedBy: string | null;
                            assetId: string;
                            /** @description epoch ms */
                            escalatedAt: number | null;
                            evidence: {
                                channels: string[];
                                /** @description dashboard link to the asset's chart around the alert */
                                link: string;
                                modelVersion?: string;
                                source?: string;
                                thresholds: {
                                    critical?: number;
                                    direction: "above" | "below";
                                    hysteresis: number;
                                    warning?: number;
                                };
                                /** @description recent values of the target, oldest first */
                                values: {
                                    /** @description epoch ms */
                                    ts: number;
                                    value: number;
                                }[];
                            };
                            /** @description opened often in a short time: held open until calm, notified once */
                            flapping: boolean;
                            id: string;
                            kind: "threshold" | "rate_of_change" | "anomaly_score" | "health" | "rul" | "forecast" | "staleness" | "drift" | "model_error";
                            message: string;
                            /** @description epoch ms */
                            openedAt: number | null;
                            /** @description epoch ms */
                            resolvedAt: number | null;
                            resolvedBy: string | null;
                            ruleId: string;
                            ruleName: string;
                            severity: "info" | "warning" | "critical";
                            /** @description notifications held back by a silence (the alert itself is kept) */
                            silenced: boolean;
                            siteId: string | null;
                            /** @description epoch ms: when the condition first held (pending since) */
                            startedAt: number;
                            state: "pending" | "open" | "acknowledged" | "resolved";
                            tenantId: string;
                            /** @description the level that was crossed */
                            threshold: number;
                            /** @description epoch ms */
                            updatedAt: number;
                            value: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{id}/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Acknowledge an open alert */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description epoch ms */
                            acknowledgedAt: number | null;
                            acknowledgedBy: string | null;
                            assetId: string;
                            /** @description epoch ms */
                            escalatedAt: number | null;
                            evidence: {
                                channels: string[];
                                /** @description dashboard link to the asset's chart around the alert */
                                link: string;
                                modelVersion?: string;
                                source?: string;
                                thresholds: {
                                    critical?: number;
                                    direction: "above" | "below";
                                    hysteresis: number;
                                    warning?: number;
                                };
                                /** @description recent values of the target, oldest first */
                                values: {
                                    /** @description epoch ms */
                                    ts: number;
                                    value: number;
                                }[];
                            };
                            /** @description opened often in a short time: held open until calm, notified once */
                            flapping: boolean;
                            id: string;
                            kind: "threshold" | "rate_of_change" | "anomaly_score" | "health" | "rul" | "forecast" | "staleness" | "drift" | "model_error";
                            message: string;
                            /** @description epoch ms */
                            openedAt: number | null;
                            /** @description epoch ms */
                            resolvedAt: number | null;
                            resolvedBy: string | null;
                            ruleId: string;
                            ruleName: string;
                            severity: "info" | "warning" | "critical";
                            /** @description notifications held back by a silence (the alert itself is kept) */
                            silenced: boolean;
                            siteId: string | null;
                            /** @description epoch ms: when the condition first held (pending since) */
                            startedAt: number;
                            state: "pending" | "open" | "acknowledged" | "resolved";
                            tenantId: string;
                            /** @description the level that was crossed */
                            threshold: number;
                            /** @description epoch ms */
                            updatedAt: number;
                            value: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resolve an alert by hand */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description epoch ms */
                            acknowledgedAt: number | null;
                            acknowledgedBy: string | null;
                            assetId: string;
                            /** @description epoch ms */
                            escalatedAt: number | null;
                            evidence: {
                                channels: string[];
                                /** @description dashboard link to the asset's chart around the alert */
                                link: string;
                                modelVersion?: string;
                                source?: string;
                                thresholds: {
                                    critical?: number;
                                    direction: "above" | "below";
                                    hysteresis: number;
                                    warning?: number;
                                };
                                /** @description recent values of the target, oldest first */
                                values: {
                                    /** @description epoch ms */
                                    ts: number;
                                    value: number;
                                }[];
                            };
                            /** @description opened often in a short time: held open until calm, notified once */
                            flapping: boolean;
                            id: string;
                            kind: "threshold" | "rate_of_change" | "anomaly_score" | "health" | "rul" | "forecast" | "staleness" | "drift" | "model_error";
                            message: string;
                            /** @description epoch ms */
                            openedAt: number | null;
                            /** @description epoch ms */
                            resolvedAt: number | null;
                            resolvedBy: string | null;
                            ruleId: string;
                            ruleName: string;
                            severity: "info" | "warning" | "critical";
                            /** @description notifications held back by a silence (the alert itself is kept) */
                            silenced: boolean;
                            siteId: string | null;
                            /** @description epoch ms: when the condition first held (pending since) */
                            startedAt: number;
                            state: "pending" | "open" | "acknowledged" | "resolved";
                            tenantId: string;
                            /** @description the level that was crossed */
                            threshold: number;
                            /** @description epoch ms */
                            updatedAt: number;
                            value: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{id}/silence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Silence this alert's rule on its asset for some hours (creates a silence) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        hours: number;
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string | null;
                            /** @description epoch ms */
                            createdAt: number;
                            createdBy: string;
                            /** @description epoch ms */
                            endsAt: number;
                            id: string;
                            kind: "silence" | "maintenance";
                            reason: string;
                            ruleId: string | null;
                            siteId: string | null;
                            /** @description epoch ms */
                            startsAt: number;
                            tenantId: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List assets */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    offset?: number;
                    parentId?: string;
                    siteId?: string;
                    type?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: number;
                                id: string;
                                metadata: {
                                    [key: string]: unknown;
                                };
                                name: string;
                                parentId: string | null;
                                siteId: string | null;
                                tenantId: string;
                                type: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an asset, optionally with its channels */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channels?: {
                            max?: number | null;
                            min?: number | null;
                            name: string;
                            unit?: string | null;
                        }[];
                        /** @description 1–128 letters, digits or _ . : - */
                        id?: string;
                        metadata?: {
                            [key: string]: unknown;
                        };
                        name?: string;
                        /** @description 1–128 letters, digits or _ . : - */
                        parentId?: string | null;
                        /** @description 1–128 letters, digits or _ . : - */
                        siteId?: string | null;
                        /** @description turbofan, battery_string, battery_cell, li_ion_pack, energy_meter, … or your own */
                        type: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            metadata: {
                                [key: string]: unknown;
                            };
                            name: string;
                            parentId: string | null;
                            siteId: string | null;
                            tenantId: string;
                            type: string;
                        } & {
                            channels: {
                                assetId: string;
                                createdAt: number;
                                key: number;
                                max: number | null;
                                min: number | null;
                                name: string;
                                tenantId: string;
                                unit: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An asset with its channels */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            metadata: {
                                [key: string]: unknown;
                            };
                            name: string;
                            parentId: string | null;
                            siteId: string | null;
                            tenantId: string;
                            type: string;
                        } & {
                            channels: {
                                assetId: string;
                                createdAt: number;
                                key: number;
                                max: number | null;
                                min: number | null;
                                name: string;
                                tenantId: string;
                                unit: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        metadata?: {
                            [key: string]: unknown;
                        };
                        name?: string;
                        /** @description 1–128 letters, digits or _ . : - */
                        parentId?: string | null;
                        /** @description 1–128 letters, digits or _ . : - */
                        siteId?: string | null;
                        /** @description turbofan, battery_string, battery_cell, li_ion_pack, energy_meter, … or your own */
                        type?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            metadata: {
                                [key: string]: unknown;
                            };
                            name: string;
                            parentId: string | null;
                            siteId: string | null;
                            tenantId: string;
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/assets/{id}/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                assetId: string;
                                createdAt: number;
                                key: number;
                                max: number | null;
                                min: number | null;
                                name: string;
                                tenantId: string;
                                unit: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Declare a channel (idempotent by name) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        max?: number | null;
                        min?: number | null;
                        name: string;
                        unit?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string;
                            createdAt: number;
                            key: number;
                            max: number | null;
                            min: number | null;
                            name: string;
                            tenantId: string;
                            unit: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/channels/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        max?: number | null;
                        min?: number | null;
                        unit?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string;
                            createdAt: number;
                            key: number;
                            max: number | null;
                            min: number | null;
                            name: string;
                            tenantId: string;
                            unit: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/assets/{id}/features": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stored feature snapshots of an asset, per channel and window
         * @description Rows are stored by the features stage per channel and window W once per W seconds of data time (tumbling windows ending on multiples of W; `PROGNOS_FEATURES_STORE_EVERY_SEC` sets one cadence for all); a row's `ts` is its newest reading. At most `maxPoints` rows per channel and window: a longer range is cut into `maxPoints` equal buckets and the newest row of each is returned.
         */
        get: {
            parameters: {
                query?: {
                    /** @description comma-separated channel names; default all */
                    channels?: string;
                    /** @description epoch ms or ISO 8601; default to − 1 h */
                    from?: string;
                    maxPoints?: number;
                    /** @description epoch ms or ISO 8601; default now */
                    to?: string;
                    /** @description comma-separated window lengths in seconds, among the configured ones; default all */
                    windows?: string;
                };
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string;
                            from: number;
                            series: {
                                channel: string;
                                count: number[];
                                fftBands?: (number[] | null)[];
                                fftDominantHz?: (number | null)[];
                                last: number[];
                                max: number[];
                                mean: number[];
                                min: number[];
                                /** @description least-squares slope, value units per second */
                                slope: number[];
                                std: number[];
                                ts: number[];
                                windowSec: number;
                            }[];
                            to: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/features/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The current feature vector of an asset
         * @description From the live rolling windows when the features stage tracks the asset (`source: live`), else the newest stored rows (`stored`), else empty (`none`).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string;
                            source: "live" | "stored" | "none";
                            ts: number | null;
                            /** @description feature name → value; names are `<channel>.w<windowSec>.<count|mean|std|min|max|slope|last>` and `<channel>.w<windowSec>.fft.<dominant_hz|band<i>>` */
                            vector: {
                                [key: string]: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Latest health index and anomaly score of an asset, with the channels that drove them
         * @description From the anomaly stage: live when the asset was scored since start, else from its last checkpoint. `status` is `unknown` while the asset has never been scored (or anomaly detection is off). health = min(anomaly, margin, rul) components; see the README section "Anomaly detection and health".
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            anomaly: {
                                alarm: boolean;
                                /** @description channel → share of the score */
                                contributions: {
                                    [key: string]: number;
                                };
                                detectors: {
                                    [key: string]: {
                                        score: number;
                                        warmingUp: boolean;
                                    };
                                };
                                score: number;
                                smoothed: number;
                                /** @description the learned detectors are still in probation: no alarm from them */
                                warmingUp: boolean;
                            } | null;
                            assetId: string;
                            /** @description channels behind the limiting component, most important first */
                            channels: string[];
                            components: {
                                anomaly: number;
                                margin: number;
                                rul: number;
                            } | null;
                            /** @description 0–1, 1 healthy: min(anomaly, margin, rul) components */
                            health: number | null;
                            /** @description anomaly, margin or rul: the component that set the index */
                            limiting: string | null;
                            rulHours: number | null;
                            siteId: string | null;
                            status: "ok" | "warning" | "critical" | "unknown";
                            /** @description health below `warning` is a warning, below `critical` critical (PROGNOS_HEALTH_WARNING, PROGNOS_HEALTH_CRITICAL) */
                            thresholds: {
                                critical: number;
                                warning: number;
                            };
                            ts: number | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Latest value of each channel */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string;
                            values: {
                                [key: string]: {
                                    ts: number;
                                    value: number;
                                };
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/predictions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stored predictions of an asset (each with model, version and deployment), by kind, model and time range */
        get: {
            parameters: {
                query?: {
                    /** @description epoch ms or ISO 8601; default to − 1 h */
                    from?: string;
                    kind?: string;
                    limit?: number;
                    model?: string;
                    /** @description epoch ms or ISO 8601; default now */
                    to?: string;
                };
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string;
                            from: number;
                            items: {
                                assetId: string;
                                deployment?: string;
                                details?: {
                                    [key: string]: unknown;
                                };
                                kind: string;
                                model?: string;
                                /** @description the stage (model) that produced it */
                                source: string;
                                /** @description epoch ms */
                                ts: number;
                                value: number;
                                version?: number;
                            }[];
                            to: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/predictions/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The newest prediction of an asset per kind, source and model */
        get: {
            parameters: {
                query?: {
                    kind?: string;
                    model?: string;
                };
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string;
                            items: {
                                assetId: string;
                                deployment?: string;
                                details?: {
                                    [key: string]: unknown;
                                };
                                kind: string;
                                model?: string;
                                /** @description the stage (model) that produced it */
                                source: string;
                                /** @description epoch ms */
                                ts: number;
                                value: number;
                                version?: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/readings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readings of an asset: raw for short ranges, min/avg/max buckets for long ones */
        get: {
            parameters: {
                query?: {
                    /** @description comma-separated channel names; default all */
                    channels?: string;
                    /** @description epoch ms or ISO 8601; default to − 1 h */
                    from?: string;
                    maxPoints?: number;
                    /** @description epoch ms or ISO 8601; default now */
                    to?: string;
                };
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string;
                            from: number;
                            series: {
                                avg?: number[];
                                bucketMs?: number;
                                channel: string;
                                count?: number[];
                                max?: number[];
                                min?: number[];
                                mode: "raw" | "bucketed";
                                ts: number[];
                                unit: string | null;
                                value?: number[];
                            }[];
                            to: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create many assets with their channels, all or none
         * @description Onboards a fleet in one call: up to 10,000 assets, each with up to 1,000 channels, in one transaction. Parents may be other items of the batch. An existing or repeated id is 409 and a missing site or parent 400 (naming `assets.<i>.<field>`), and then nothing is created.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        assets: {
                            channels?: {
                                max?: number | null;
                                min?: number | null;
                                name: string;
                                unit?: string | null;
                            }[];
                            /** @description 1–128 letters, digits or _ . : - */
                            id?: string;
                            metadata?: {
                                [key: string]: unknown;
                            };
                            name?: string;
                            /** @description 1–128 letters, digits or _ . : - */
                            parentId?: string | null;
                            /** @description 1–128 letters, digits or _ . : - */
                            siteId?: string | null;
                            /** @description turbofan, battery_string, battery_cell, li_ion_pack, energy_meter, … or your own */
                            type: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created: number;
                            items: ({
                                createdAt: number;
                                id: string;
                                metadata: {
                                    [key: string]: unknown;
                                };
                                name: string;
                                parentId: string | null;
                                siteId: string | null;
                                tenantId: string;
                                type: string;
                            } & {
                                channels: {
                                    assetId: string;
                                    createdAt: number;
                                    key: number;
                                    max: number | null;
                                    min: number | null;
                                    name: string;
                                    tenantId: string;
                                    unit: string | null;
                                }[];
                            })[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which model version scored an asset at a time, under which deployment */
        get: {
            parameters: {
                query: {
                    assetId: string;
                    /** @description epoch ms or ISO 8601 */
                    at: string;
                    kind?: string;
                    model?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string;
                            /** @description epoch ms */
                            at: number;
                            deployment: string;
                            deploymentRecord: {
                                action: "promote" | "stage" | "archive" | "canary" | "ab" | "shadow" | "rollback" | "clear";
                                actor: string;
                                /** @description epoch ms */
                                createdAt: number;
                                /** @description 1, 2, 3 … per model; the highest is in force */
                                id: number;
                                model: string;
                                reason: string;
                                restoredFrom: number | null;
                                spec: {
                                    ab: {
                                        variants: {
                                            name: string;
                                            version: number;
                                            weight: number;
                                        }[];
                                    } | null;
                                    archived: number[];
                                    canary: {
                                        percent: number;
                                        version: number;
                                    } | null;
                                    production: number | null;
                                    shadow: number[];
                                    staging: number | null;
                                };
                            } | null;
                            kind: string;
                            model: string;
                            /** @description epoch ms */
                            predictionTs: number;
                            value: number;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in: a short-lived access token and a refresh token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password: string;
                        username: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            expiresInSec: number;
                            refreshToken: string;
                            user: {
                                id: string;
                                role: "admin" | "operator" | "viewer" | "ingest";
                                tenantId: string;
                                username: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a refresh token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Trade a refresh token for new tokens (each refresh token works once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            expiresInSec: number;
                            refreshToken: string;
                            user: {
                                id: string;
                                role: "admin" | "operator" | "viewer" | "ingest";
                                tenantId: string;
                                username: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notifications that failed every attempt */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                alertIds: string[];
                                attempts: number;
                                channelId: string;
                                /** @description epoch ms */
                                createdAt: number;
                                id: string;
                                idempotencyKey: string;
                                lastError: string | null;
                                subject: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dead-letters/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue a dead letter again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            queued: boolean;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fleet/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Health of every asset, rolled up per site and for the fleet
         * @description Roll-ups take the worst member as `health` (a site with one critical asset is critical), with the mean, the weighted mean (weight 1 per asset) and the count per status beside it. Assets never scored are listed with status `unknown` and left out of the roll-ups.
         */
        get: {
            parameters: {
                query?: {
                    /** @description 1–128 letters, digits or _ . : - */
                    siteId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assets: {
                                anomaly: {
                                    alarm: boolean;
                                    /** @description channel → share of the score */
                                    contributions: {
                                        [key: string]: number;
                                    };
                                    detectors: {
                                        [key: string]: {
                                            score: number;
                                            warmingUp: boolean;
                                        };
                                    };
                                    score: number;
                                    smoothed: number;
                                    /** @description the learned detectors are still in probation: no alarm from them */
                                    warmingUp: boolean;
                                } | null;
                                assetId: string;
                                /** @description channels behind the limiting component, most important first */
                                channels: string[];
                                components: {
                                    anomaly: number;
                                    margin: number;
                                    rul: number;
                                } | null;
                                /** @description 0–1, 1 healthy: min(anomaly, margin, rul) components */
                                health: number | null;
                                /** @description anomaly, margin or rul: the component that set the index */
                                limiting: string | null;
                                rulHours: number | null;
                                siteId: string | null;
                                status: "ok" | "warning" | "critical" | "unknown";
                                ts: number | null;
                            }[];
                            fleet: {
                                count: number;
                                counts: {
                                    critical: number;
                                    ok: number;
                                    warning: number;
                                };
                                /** @description worst member */
                                health: number | null;
                                mean: number | null;
                                status: "ok" | "warning" | "critical" | "unknown";
                                weightedMean: number | null;
                            };
                            sites: {
                                count: number;
                                counts: {
                                    critical: number;
                                    ok: number;
                                    warning: number;
                                };
                                /** @description worst member */
                                health: number | null;
                                mean: number | null;
                                name: string | null;
                                siteId: string | null;
                                status: "ok" | "warning" | "critical" | "unknown";
                                weightedMean: number | null;
                            }[];
                            /** @description health below `warning` is a warning, below `critical` critical (PROGNOS_HEALTH_WARNING, PROGNOS_HEALTH_CRITICAL) */
                            thresholds: {
                                critical: number;
                                warning: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fleet/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Latest values of every asset of the tenant */
        get: {
            parameters: {
                query?: {
                    siteId?: string;
                    type?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                assetId: string;
                                name: string;
                                parentId: string | null;
                                siteId: string | null;
                                type: string;
                                values: {
                                    [key: string]: {
                                        max: number | null;
                                        min: number | null;
                                        ts: number;
                                        unit: string | null;
                                        value: number;
                                    };
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ingest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ingest wide records; answers once the accepted records are durable
         * @description Each record is judged alone: the answer lists the accepted count and every refused record with its index, field and reason. When no record can be accepted the answer is 400 INGEST_REJECTED and nothing is stored.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        records: {
                            /** @description 1–128 letters, digits or _ . : - */
                            asset: string;
                            ts: number | string;
                            /** @description channel name → finite number */
                            values: {
                                [key: string]: number;
                            };
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description records stored */
                            accepted: number;
                            /** @description of those, values already stored (same asset, channel and ts) and not stored again: a client that resends a batch after a timeout sees them here */
                            duplicates: number;
                            /** @description channel values of the accepted records, all durable */
                            readings: number;
                            refused: {
                                field: string;
                                index: number;
                                reason: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    tenantId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: number;
                                /** @description also the MQTT username of devices using this key */
                                id: string;
                                name: string;
                                revokedAt: number | null;
                                role: "admin" | "operator" | "viewer" | "ingest";
                                tenantId: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an API key; the key itself is shown only in this answer */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        role: "admin" | "operator" | "viewer" | "ingest";
                        tenantId?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            /** @description also the MQTT username of devices using this key */
                            id: string;
                            name: string;
                            revokedAt: number | null;
                            role: "admin" | "operator" | "viewer" | "ingest";
                            tenantId: string;
                        } & {
                            key: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the credentials belong to */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            kind: string;
                            platformAdmin: boolean;
                            role: "admin" | "operator" | "viewer" | "ingest";
                            tenantId: string;
                            username: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Registered models with their current deployment */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description epoch ms */
                                createdAt: number;
                                createdBy: string;
                                deployment: {
                                    ab: {
                                        variants: {
                                            name: string;
                                            version: number;
                                            weight: number;
                                        }[];
                                    } | null;
                                    archived: number[];
                                    canary: {
                                        percent: number;
                                        version: number;
                                    } | null;
                                    production: number | null;
                                    shadow: number[];
                                    staging: number | null;
                                } | null;
                                description: string;
                                gates: {
                                    metric: string;
                                    op: ">=" | ">" | "<=" | "<";
                                    value: number;
                                }[];
                                kind: "anomaly" | "health" | "rul" | "soh" | "forecast" | "classifier";
                                name: string;
                                /** @description how many versions */
                                versions: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a model (versions are then registered under it) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        gates?: {
                            metric: string;
                            op: ">=" | ">" | "<=" | "<";
                            value: number;
                        }[];
                        kind: "anomaly" | "health" | "rul" | "soh" | "forecast" | "classifier";
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description epoch ms */
                            createdAt: number;
                            createdBy: string;
                            description: string;
                            gates: {
                                metric: string;
                                op: ">=" | ">" | "<=" | "<";
                                value: number;
                            }[];
                            kind: "anomaly" | "health" | "rul" | "soh" | "forecast" | "classifier";
                            name: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A model, its versions and its current deployment */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description epoch ms */
                            createdAt: number;
                            createdBy: string;
                            deployment: {
                                action: "promote" | "stage" | "archive" | "canary" | "ab" | "shadow" | "rollback" | "clear";
                                actor: string;
                                /** @description epoch ms */
                                createdAt: number;
                                /** @description 1, 2, 3 … per model; the highest is in force */
                                id: number;
                                model: string;
                                reason: string;
                                restoredFrom: number | null;
                                spec: {
                                    ab: {
                                        variants: {
                                            name: string;
                                            version: number;
                                            weight: number;
                                        }[];
                                    } | null;
                                    archived: number[];
                                    canary: {
                                        percent: number;
                                        version: number;
                                    } | null;
                                    production: number | null;
                                    shadow: number[];
                                    staging: number | null;
                                };
                            } | null;
                            description: string;
                            gates: {
                                metric: string;
                                op: ">=" | ">" | "<=" | "<";
                                value: number;
                            }[];
                            kind: "anomaly" | "health" | "rul" | "soh" | "forecast" | "classifier";
                            name: string;
                            versions: {
                                artifactBytes: number;
                                artifactKey: string;
                                artifactSha256: string;
                                /** @description epoch ms */
                                createdAt: number;
                                createdBy: string;
                                flavour: "builtin" | "onnx" | "tfjs" | "xgboost";
                                hasReference: boolean;
                                metrics: {
                                    [key: string]: number;
                                };
                                model: string;
                                params: {
                                    [key: string]: unknown;
                                };
                                runId: string | null;
                                signature: {
                                    inputs: {
                                        description?: string;
                                        name: string;
                                        type: "number" | "string" | "number[]";
                                    }[];
                                    outputs: {
                                        description?: string;
                                        name: string;
                                        type: "number" | "string" | "number[]";
                                    }[];
                                };
                                trainingFingerprint: string | null;
                                version: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/ab": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Split all assets between named variants by weight (deterministic per asset); variants null ends the test */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description why: kept in the deployment history */
                        reason: string;
                        variants: {
                            name: string;
                            version: number;
                            weight: number;
                        }[] | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: "promote" | "stage" | "archive" | "canary" | "ab" | "shadow" | "rollback" | "clear";
                            actor: string;
                            /** @description epoch ms */
                            createdAt: number;
                            /** @description 1, 2, 3 … per model; the highest is in force */
                            id: number;
                            model: string;
                            reason: string;
                            restoredFrom: number | null;
                            spec: {
                                ab: {
                                    variants: {
                                        name: string;
                                        version: number;
                                        weight: number;
                                    }[];
                                } | null;
                                archived: number[];
                                canary: {
                                    percent: number;
                                    version: number;
                                } | null;
                                production: number | null;
                                shadow: number[];
                                staging: number | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/canary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a share of assets (stable hash of the asset id) to a version; version null ends the canary */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        percent?: number;
                        /** @description why: kept in the deployment history */
                        reason: string;
                        version: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: "promote" | "stage" | "archive" | "canary" | "ab" | "shadow" | "rollback" | "clear";
                            actor: string;
                            /** @description epoch ms */
                            createdAt: number;
                            /** @description 1, 2, 3 … per model; the highest is in force */
                            id: number;
                            model: string;
                            reason: string;
                            restoredFrom: number | null;
                            spec: {
                                ab: {
                                    variants: {
                                        name: string;
                                        version: number;
                                        weight: number;
                                    }[];
                                } | null;
                                archived: number[];
                                canary: {
                                    percent: number;
                                    version: number;
                                } | null;
                                production: number | null;
                                shadow: number[];
                                staging: number | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/deployment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The deployment in force */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: "promote" | "stage" | "archive" | "canary" | "ab" | "shadow" | "rollback" | "clear";
                            actor: string;
                            /** @description epoch ms */
                            createdAt: number;
                            /** @description 1, 2, 3 … per model; the highest is in force */
                            id: number;
                            model: string;
                            reason: string;
                            restoredFrom: number | null;
                            spec: {
                                ab: {
                                    variants: {
                                        name: string;
                                        version: number;
                                        weight: number;
                                    }[];
                                } | null;
                                archived: number[];
                                canary: {
                                    percent: number;
                                    version: number;
                                } | null;
                                production: number | null;
                                shadow: number[];
                                staging: number | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/drift": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live drift (PSI and KS per feature and on the predictions) of each served version, and past drift events */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            events: {
                                model: string;
                                /** @description the drift report of the window that started drifting */
                                report: {
                                    /** @description consecutive drifting windows up to this one */
                                    consecutive?: number;
                                    /** @description names of what drifts */
                                    drifted?: string[];
                                    drifting?: boolean;
                                    features?: {
                                        [key: string]: {
                                            drifting: boolean;
                                            ks: number;
                                            ksCritical: number;
                                            psi: number;
                                        };
                                    };
                                    /** @description readings observed since the monitor started */
                                    observed?: number;
                                    prediction?: {
                                        drifting: boolean;
                                        ks: number;
                                        ksCritical: number;
                                        psi: number;
                                    } | null;
                                    /** @description windows evaluated so far */
                                    windows?: number;
                                    windowSize?: number;
                                } & {
                                    [key: string]: unknown;
                                };
                                /** @description epoch ms */
                                ts: number;
                                version: number;
                            }[];
                            model: string;
                            versions: {
                                hasReference: boolean;
                                observed: number;
                                report: {
                                    /** @description consecutive drifting windows up to this one */
                                    consecutive: number;
                                    /** @description names of what drifts */
                                    drifted: string[];
                                    drifting: boolean;
                                    features: {
                                        [key: string]: {
                                            drifting: boolean;
                                            ks: number;
                                            ksCritical: number;
                                            psi: number;
                                        };
                                    };
                                    /** @description readings observed since the monitor started */
                                    observed: number;
                                    /** @description readings in the window not yet closed */
                                    pendingInWindow: number;
                                    prediction: {
                                        drifting: boolean;
                                        ks: number;
                                        ksCritical: number;
                                        psi: number;
                                    } | null;
                                    /** @description windows evaluated so far */
                                    windows: number;
                                    windowSize: number;
                                } | null;
                                version: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/gates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set the promotion gates (metric thresholds a version needs for production) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        gates: {
                            metric: string;
                            op: ">=" | ">" | "<=" | "<";
                            value: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description epoch ms */
                            createdAt: number;
                            createdBy: string;
                            description: string;
                            gates: {
                                metric: string;
                                op: ">=" | ">" | "<=" | "<";
                                value: number;
                            }[];
                            kind: "anomaly" | "health" | "rul" | "soh" | "forecast" | "classifier";
                            name: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every deployment change: what, who, when, why */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                action: "promote" | "stage" | "archive" | "canary" | "ab" | "shadow" | "rollback" | "clear";
                                actor: string;
                                /** @description epoch ms */
                                createdAt: number;
                                /** @description 1, 2, 3 … per model; the highest is in force */
                                id: number;
                                model: string;
                                reason: string;
                                restoredFrom: number | null;
                                spec: {
                                    ab: {
                                        variants: {
                                            name: string;
                                            version: number;
                                            weight: number;
                                        }[];
                                    } | null;
                                    archived: number[];
                                    canary: {
                                        percent: number;
                                        version: number;
                                    } | null;
                                    production: number | null;
                                    shadow: number[];
                                    staging: number | null;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/predict": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Score one row or a batch on the version each asset routes to
         * @description One row (`features`, optional `assetId`, `ts`) or a batch (`items`). Each answer names the version and deployment that made it. With `record` (default true), answers for an asset are stored as predictions.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        assetId?: string;
                        /** @description input name → value (the version signature’s inputs) */
                        features?: {
                            [key: string]: number;
                        };
                        items?: {
                            assetId?: string;
                            /** @description input name → value (the version signature’s inputs) */
                            features: {
                                [key: string]: number;
                            };
                            ts?: number;
                        }[];
                        record?: boolean;
                        ts?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a version to production (through the gates), staging or archived */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        alias?: "production" | "staging" | "archived";
                        /** @description bypass the gates (recorded) */
                        force?: boolean;
                        /** @description why: kept in the deployment history */
                        reason: string;
                        version: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: "promote" | "stage" | "archive" | "canary" | "ab" | "shadow" | "rollback" | "clear";
                            actor: string;
                            /** @description epoch ms */
                            createdAt: number;
                            /** @description 1, 2, 3 … per model; the highest is in force */
                            id: number;
                            model: string;
                            reason: string;
                            restoredFrom: number | null;
                            spec: {
                                ab: {
                                    variants: {
                                        name: string;
                                        version: number;
                                        weight: number;
                                    }[];
                                } | null;
                                archived: number[];
                                canary: {
                                    percent: number;
                                    version: number;
                                } | null;
                                production: number | null;
                                shadow: number[];
                                staging: number | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restore an earlier deployment whole (default: the previous one) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description why: kept in the deployment history */
                        reason: string;
                        to?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: "promote" | "stage" | "archive" | "canary" | "ab" | "shadow" | "rollback" | "clear";
                            actor: string;
                            /** @description epoch ms */
                            createdAt: number;
                            /** @description 1, 2, 3 … per model; the highest is in force */
                            id: number;
                            model: string;
                            reason: string;
                            restoredFrom: number | null;
                            spec: {
                                ab: {
                                    variants: {
                                        name: string;
                                        version: number;
                                        weight: number;
                                    }[];
                                } | null;
                                archived: number[];
                                canary: {
                                    percent: number;
                                    version: number;
                                } | null;
                                production: number | null;
                                shadow: number[];
                                staging: number | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/route": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which version and deployment an asset routes to now */
        get: {
            parameters: {
                query: {
                    assetId: string;
                };
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string;
                            /** @description production, canary, ab:<variant> */
                            deployment: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/shadow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Versions scored and recorded beside the serving ones, never acted on ([] ends shadowing) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description why: kept in the deployment history */
                        reason: string;
                        versions: number[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: "promote" | "stage" | "archive" | "canary" | "ab" | "shadow" | "rollback" | "clear";
                            actor: string;
                            /** @description epoch ms */
                            createdAt: number;
                            /** @description 1, 2, 3 … per model; the highest is in force */
                            id: number;
                            model: string;
                            reason: string;
                            restoredFrom: number | null;
                            spec: {
                                ab: {
                                    variants: {
                                        name: string;
                                        version: number;
                                        weight: number;
                                    }[];
                                } | null;
                                archived: number[];
                                canary: {
                                    percent: number;
                                    version: number;
                                } | null;
                                production: number | null;
                                shadow: number[];
                                staging: number | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a new immutable version (or import an external model: flavour onnx with the file as base64)
         * @description The artifact is loaded by its flavour’s runtime and run once on its signature before anything is stored; a corrupt or mismatched artifact is refused (400 `MODEL_ARTIFACT_INVALID`) and nothing is registered. Built-in artifacts are the model’s JSON (`families.fromJSON`) and describe their own signature; onnx, tfjs and xgboost need `signature` (inputs in column order).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description built-in: the serialized model (object); others: the file as base64 */
                        artifact: string | {
                            [key: string]: unknown;
                        };
                        description?: string;
                        flavour: "builtin" | "onnx" | "tfjs" | "xgboost";
                        kind?: "anomaly" | "health" | "rul" | "soh" | "forecast" | "classifier";
                        metrics?: {
                            [key: string]: number;
                        };
                        params?: {
                            [key: string]: unknown;
                        };
                        reference?: {
                            features: {
                                [key: string]: {
                                    count: number;
                                    edges: number[];
                                    shares: number[];
                                };
                            };
                            prediction: {
                                count: number;
                                edges: number[];
                                shares: number[];
                            } | null;
                        };
                        signature?: {
                            inputs: {
                                description?: string;
                                name: string;
                                type?: "number" | "string" | "number[]";
                            }[];
                            outputs: {
                                description?: string;
                                name: string;
                                type?: "number" | "string" | "number[]";
                            }[];
                        };
                        trainingFingerprint?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            artifactBytes: number;
                            artifactKey: string;
                            artifactSha256: string;
                            /** @description epoch ms */
                            createdAt: number;
                            createdBy: string;
                            flavour: "builtin" | "onnx" | "tfjs" | "xgboost";
                            hasReference: boolean;
                            metrics: {
                                [key: string]: number;
                            };
                            model: string;
                            params: {
                                [key: string]: unknown;
                            };
                            runId: string | null;
                            signature: {
                                inputs: {
                                    description?: string;
                                    name: string;
                                    type: "number" | "string" | "number[]";
                                }[];
                                outputs: {
                                    description?: string;
                                    name: string;
                                    type: "number" | "string" | "number[]";
                                }[];
                            };
                            trainingFingerprint: string | null;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One version, with its reference statistics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                    version: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            artifactBytes: number;
                            artifactKey: string;
                            artifactSha256: string;
                            /** @description epoch ms */
                            createdAt: number;
                            createdBy: string;
                            flavour: "builtin" | "onnx" | "tfjs" | "xgboost";
                            metrics: {
                                [key: string]: number;
                            };
                            model: string;
                            params: {
                                [key: string]: unknown;
                            };
                            reference: {
                                features: {
                                    [key: string]: {
                                        count: number;
                                        edges: number[];
                                        shares: number[];
                                    };
                                };
                                prediction: {
                                    count: number;
                                    edges: number[];
                                    shares: number[];
                                } | null;
                            } | null;
                            runId: string | null;
                            signature: {
                                inputs: {
                                    description?: string;
                                    name: string;
                                    type: "number" | "string" | "number[]";
                                }[];
                                outputs: {
                                    description?: string;
                                    name: string;
                                    type: "number" | "string" | "number[]";
                                }[];
                            };
                            trainingFingerprint: string | null;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notification-channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List notification channels (secrets redacted) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description email: host, port, secure, user, password, from, to; slack/teams: url; webhook: url, secret. Secrets come back as ***. */
                                config: {
                                    [key: string]: unknown;
                                };
                                /** @description epoch ms */
                                createdAt: number;
                                enabled: boolean;
                                id: string;
                                minSeverity: "info" | "warning" | "critical";
                                name: string;
                                rateLimitPerMin: number;
                                subscribeAll: boolean;
                                tenantId: string;
                                type: "email" | "slack" | "teams" | "webhook";
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a notification channel */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        config: {
                            [key: string]: unknown;
                        };
                        enabled?: boolean;
                        minSeverity?: "info" | "warning" | "critical";
                        name: string;
                        rateLimitPerMin?: number;
                        subscribeAll?: boolean;
                        type: "email" | "slack" | "teams" | "webhook";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description email: host, port, secure, user, password, from, to; slack/teams: url; webhook: url, secret. Secrets come back as ***. */
                            config: {
                                [key: string]: unknown;
                            };
                            /** @description epoch ms */
                            createdAt: number;
                            enabled: boolean;
                            id: string;
                            minSeverity: "info" | "warning" | "critical";
                            name: string;
                            rateLimitPerMin: number;
                            subscribeAll: boolean;
                            tenantId: string;
                            type: "email" | "slack" | "teams" | "webhook";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notification-channels/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description email: host, port, secure, user, password, from, to; slack/teams: url; webhook: url, secret. Secrets come back as ***. */
                            config: {
                                [key: string]: unknown;
                            };
                            /** @description epoch ms */
                            createdAt: number;
                            enabled: boolean;
                            id: string;
                            minSeverity: "info" | "warning" | "critical";
                            name: string;
                            rateLimitPerMin: number;
                            subscribeAll: boolean;
                            tenantId: string;
                            type: "email" | "slack" | "teams" | "webhook";
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        /** Replace a channel (a secret given as *** keeps its value) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        config: {
                            [key: string]: unknown;
                        };
                        enabled?: boolean;
                        minSeverity?: "info" | "warning" | "critical";
                        name: string;
                        rateLimitPerMin?: number;
                        subscribeAll?: boolean;
                        type: "email" | "slack" | "teams" | "webhook";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description email: host, port, secure, user, password, from, to; slack/teams: url; webhook: url, secret. Secrets come back as ***. */
                            config: {
                                [key: string]: unknown;
                            };
                            /** @description epoch ms */
                            createdAt: number;
                            enabled: boolean;
                            id: string;
                            minSeverity: "info" | "warning" | "critical";
                            name: string;
                            rateLimitPerMin: number;
                            subscribeAll: boolean;
                            tenantId: string;
                            type: "email" | "slack" | "teams" | "webhook";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notification-channels/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test notification on the channel now, and answer how it went
         * @description Sent through the channel’s real sender (even while the channel is disabled), once, outside the outbox: nothing is stored or retried. A delivery that fails is still a 200, with `ok: false`, a stable `code` and the `reason` (e.g. `HTTP 500`, `POST failed: ECONNREFUSED`, `no recipients`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            latencyMs: number;
                            /** @enum {boolean} */
                            ok: true;
                        } | {
                            /** @description NOTIFY_DELIVERY_FAILED, or NOTIFY_UNAVAILABLE when this process delivers no notifications */
                            code: string;
                            latencyMs: number;
                            /** @enum {boolean} */
                            ok: false;
                            /** @description a retry would fail the same way (a 4xx answer, a missing setting) */
                            permanent: boolean;
                            /** @description why it failed: never a URL or a password */
                            reason: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notification-preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List notification preferences */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                channelIds: string[];
                                /** @description epoch ms */
                                createdAt: number;
                                emails: string[];
                                id: string;
                                quietHours: {
                                    end: string;
                                    start: string;
                                    timezone: string;
                                } | null;
                                role: string | null;
                                severities: ("info" | "warning" | "critical")[];
                                tenantId: string;
                                userId: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a preference for a user or a role */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channelIds: string[];
                        emails?: string[];
                        quietHours?: {
                            end: string;
                            start: string;
                            timezone: string;
                        } | null;
                        role?: string | null;
                        severities?: ("info" | "warning" | "critical")[];
                        userId?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            channelIds: string[];
                            /** @description epoch ms */
                            createdAt: number;
                            emails: string[];
                            id: string;
                            quietHours: {
                                end: string;
                                start: string;
                                timezone: string;
                            } | null;
                            role: string | null;
                            severities: ("info" | "warning" | "critical")[];
                            tenantId: string;
                            userId: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notification-preferences/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channelIds: string[];
                        emails?: string[];
                        quietHours?: {
                            end: string;
                            start: string;
                            timezone: string;
                        } | null;
                        role?: string | null;
                        severities?: ("info" | "warning" | "critical")[];
                        userId?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            channelIds: string[];
                            /** @description epoch ms */
                            createdAt: number;
                            emails: string[];
                            id: string;
                            quietHours: {
                                end: string;
                                start: string;
                                timezone: string;
                            } | null;
                            role: string | null;
                            severities: ("info" | "warning" | "critical")[];
                            tenantId: string;
                            userId: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Training runs, newest first */
        get: {
            parameters: {
                query?: {
                    model?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description artifact keys by name (model, log …) */
                                artifacts: {
                                    [key: string]: string;
                                };
                                createdBy: string;
                                /** @description epoch ms */
                                finishedAt: number | null;
                                id: string;
                                logs: string;
                                metrics: {
                                    [key: string]: number;
                                };
                                model: string;
                                params: {
                                    [key: string]: unknown;
                                };
                                spec: {
                                    [key: string]: unknown;
                                };
                                /** @description epoch ms */
                                startedAt: number;
                                status: "running" | "succeeded" | "failed";
                                version: number | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Train a spec on this server: record the run, register the version, promote through the gates when asked
         * @description The spec is what `prognos train` reads (model, family, params, data.csv …); data paths are read on the server, so this needs an administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        promote?: boolean;
                        spec: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            promoted: boolean;
                            /** @description why it was not promoted, when promotion was asked */
                            promotionRefused?: string;
                            run: {
                                /** @description artifact keys by name (model, log …) */
                                artifacts: {
                                    [key: string]: string;
                                };
                                createdBy: string;
                                /** @description epoch ms */
                                finishedAt: number | null;
                                id: string;
                                logs: string;
                                metrics: {
                                    [key: string]: number;
                                };
                                model: string;
                                params: {
                                    [key: string]: unknown;
                                };
                                spec: {
                                    [key: string]: unknown;
                                };
                                /** @description epoch ms */
                                startedAt: number;
                                status: "running" | "succeeded" | "failed";
                                version: number | null;
                            };
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One training run: params, metrics, artifacts, logs */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description artifact keys by name (model, log …) */
                            artifacts: {
                                [key: string]: string;
                            };
                            createdBy: string;
                            /** @description epoch ms */
                            finishedAt: number | null;
                            id: string;
                            logs: string;
                            metrics: {
                                [key: string]: number;
                            };
                            model: string;
                            params: {
                                [key: string]: unknown;
                            };
                            spec: {
                                [key: string]: unknown;
                            };
                            /** @description epoch ms */
                            startedAt: number;
                            status: "running" | "succeeded" | "failed";
                            version: number | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/compare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Runs side by side: params and metrics as rows, runs as columns */
        get: {
            parameters: {
                query: {
                    /** @description comma-separated run ids */
                    ids: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            metrics: {
                                name: string;
                                values: (number | null)[];
                            }[];
                            params: {
                                name: string;
                                values: unknown[];
                            }[];
                            runs: {
                                durationMs: number | null;
                                id: string;
                                model: string;
                                /** @description epoch ms */
                                startedAt: number;
                                status: string;
                                version: number | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/silences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List silences and maintenance windows */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                assetId: string | null;
                                /** @description epoch ms */
                                createdAt: number;
                                createdBy: string;
                                /** @description epoch ms */
                                endsAt: number;
                                id: string;
                                kind: "silence" | "maintenance";
                                reason: string;
                                ruleId: string | null;
                                siteId: string | null;
                                /** @description epoch ms */
                                startsAt: number;
                                tenantId: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Silence notifications (kind silence) or stop alerts opening (kind maintenance) for an asset or a site */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        assetId?: string | null;
                        /** @description epoch ms */
                        endsAt: number;
                        kind?: "silence" | "maintenance";
                        reason?: string;
                        ruleId?: string | null;
                        siteId?: string | null;
                        startsAt?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assetId: string | null;
                            /** @description epoch ms */
                            createdAt: number;
                            createdBy: string;
                            /** @description epoch ms */
                            endsAt: number;
                            id: string;
                            kind: "silence" | "maintenance";
                            reason: string;
                            ruleId: string | null;
                            siteId: string | null;
                            /** @description epoch ms */
                            startsAt: number;
                            tenantId: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/silences/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sites */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: number;
                                id: string;
                                latitude: number;
                                longitude: number;
                                name: string;
                                tenantId: string;
                                timezone: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a site */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description 1–128 letters, digits or _ . : - */
                        id?: string;
                        latitude: number;
                        longitude: number;
                        name: string;
                        /** @description IANA zone, e.g. Europe/Paris */
                        timezone: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            latitude: number;
                            longitude: number;
                            name: string;
                            tenantId: string;
                            timezone: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sites/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            latitude: number;
                            longitude: number;
                            name: string;
                            tenantId: string;
                            timezone: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1–128 letters, digits or _ . : - */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        latitude?: number;
                        longitude?: number;
                        name?: string;
                        /** @description IANA zone, e.g. Europe/Paris */
                        timezone?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            latitude: number;
                            longitude: number;
                            name: string;
                            tenantId: string;
                            timezone: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-Sent Events of new readings, features, predictions and alerts for the caller’s tenant
         * @description Each `readings` event carries `{assetId, series: [{channel, ts, value}]}` for readings that are already durable. Each `features` event carries `{assetId, ts, vector}`: the feature snapshot of the channels that reached a new hop, named `<channel>.w<windowSec>.<stat>` (stats count, mean, std, min, max, slope, last; `fft.dominant_hz` and `fft.band<i>` for high-rate channels). `prediction` events carry `{assetId, ts, source, kind, value, details?}` and `alert` events `{assetId, ts, source, severity, state, message, details?}`, from the scoring and alerting stages when they are registered. A client that falls behind gets a `dropped` event with the number of events it missed. A comment line every 15 s keeps proxies open.
         */
        get: {
            parameters: {
                query?: {
                    /** @description comma-separated asset ids; default every asset of the tenant */
                    assets?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: number;
                                id: string;
                                name: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description 1–128 letters, digits or _ . : - */
                        id?: string;
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            name: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            name: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an empty tenant */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            name: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    tenantId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: number;
                                id: string;
                                platformAdmin: boolean;
                                role: "admin" | "operator" | "viewer" | "ingest";
                                tenantId: string;
                                username: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password: string;
                        role: "admin" | "operator" | "viewer" | "ingest";
                        tenantId?: string;
                        username: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            platformAdmin: boolean;
                            role: "admin" | "operator" | "viewer" | "ingest";
                            tenantId: string;
                            username: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a user's role or password */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password?: string;
                        role?: "admin" | "operator" | "viewer" | "ingest";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: number;
                            id: string;
                            platformAdmin: boolean;
                            role: "admin" | "operator" | "viewer" | "ingest";
                            tenantId: string;
                            username: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code, e.g. VALIDATION_FAILED */
                            code: string;
                            details?: {
                                field: string;
                                index?: number;
                                reason: string;
                            }[];
                            message: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** Error */
        "def-0": {
            /** @description Stable error code, e.g. VALIDATION_FAILED */
            code: string;
            details?: {
                field: string;
                index?: number;
                reason: string;
            }[];
            message: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
