SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
SET default_tablespace = '';
SET default_table_access_method = heap;
CREATE TABLE public.artifact (
    id integer NOT NULL,
    type_id integer NOT NULL,
    uri text,
    state integer,
    name character varying(255),
    external_id character varying(255),
    create_time_since_epoch bigint DEFAULT 0 NOT NULL,
    last_update_time_since_epoch bigint DEFAULT 0 NOT NULL
);
CREATE SEQUENCE public.artifact_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.artifact_id_seq OWNED BY public.artifact.id;
CREATE TABLE public.artifactproperty (
    artifact_id integer NOT NULL,
    name character varying(255) NOT NULL,
    is_custom_property boolean NOT NULL,
    int_value integer,
    double_value double precision,
    string_value text,
    byte_value bytea
);
CREATE TABLE public.association (
    id integer NOT NULL,
    context_id integer NOT NULL,
    execution_id integer NOT NULL
);
CREATE SEQUENCE public.association_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.association_id_seq OWNED BY public.association.id;
CREATE TABLE public.attribution (
    id integer NOT NULL,
    context_id integer NOT NULL,
    artifact_id integer NOT NULL
);
CREATE SEQUENCE public.attribution_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.attribution_id_seq OWNED BY public.attribution.id;
CREATE TABLE public.context (
    id integer NOT NULL,
    type_id integer NOT NULL,
    name character varying(255) NOT NULL,
    external_id character varying(255),
    create_time_since_epoch bigint DEFAULT 0 NOT NULL,
    last_update_time_since_epoch bigint DEFAULT 0 NOT NULL
);
CREATE SEQUENCE public.context_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.context_id_seq OWNED BY public.context.id;
CREATE TABLE public.contextproperty (
    context_id integer NOT NULL,
    name character varying(255) NOT NULL,
    is_custom_property boolean NOT NULL,
    int_value integer,
    double_value double precision,
    string_value text,
    byte_value bytea
);
CREATE TABLE public.event (
    id integer NOT NULL,
    artifact_id integer NOT NULL,
    execution_id integer NOT NULL,
    type integer NOT NULL,
    milliseconds_since_epoch bigint
);
CREATE SEQUENCE public.event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.event_id_seq OWNED BY public.event.id;
CREATE TABLE public.eventpath (
    event_id integer NOT NULL,
    is_index_step boolean NOT NULL,
    step_index integer,
    step_key text
);
CREATE TABLE public.execution (
    id integer NOT NULL,
    type_id integer NOT NULL,
    last_known_state integer,
    name character varying(255),
    external_id character varying(255),
    create_time_since_epoch bigint DEFAULT 0 NOT NULL,
    last_update_time_since_epoch bigint DEFAULT 0 NOT NULL
);
CREATE SEQUENCE public.execution_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.execution_id_seq OWNED BY public.execution.id;
CREATE TABLE public.executionproperty (
    execution_id integer NOT NULL,
    name character varying(255) NOT NULL,
    is_custom_property boolean NOT NULL,
    int_value integer,
    double_value double precision,
    string_value text,
    byte_value bytea
);
CREATE TABLE public.mlmdenv (
    schema_version integer NOT NULL
);
CREATE TABLE public.parentcontext (
    context_id integer NOT NULL,
    parent_context_id integer NOT NULL
);
CREATE TABLE public.parenttype (
    type_id integer NOT NULL,
    parent_type_id integer NOT NULL
);
CREATE TABLE public.type (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    version character varying(255),
    type_kind smallint NOT NULL,
    description text,
    input_type text,
    output_type text,
    external_id character varying(255)
);
CREATE SEQUENCE public.type_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.type_id_seq OWNED BY public.type.id;
CREATE TABLE public.typeproperty (
    type_id integer NOT NULL,
    name character varying(255) NOT NULL,
    data_type integer
);
ALTER TABLE ONLY public.artifact ALTER COLUMN id SET DEFAULT nextval('public.artifact_id_seq'::regclass);
ALTER TABLE ONLY public.association ALTER COLUMN id SET DEFAULT nextval('public.association_id_seq'::regclass);
ALTER TABLE ONLY public.attribution ALTER COLUMN id SET DEFAULT nextval('public.attribution_id_seq'::regclass);
ALTER TABLE ONLY public.context ALTER COLUMN id SET DEFAULT nextval('public.context_id_seq'::regclass);
ALTER TABLE ONLY public.event ALTER COLUMN id SET DEFAULT nextval('public.event_id_seq'::regclass);
ALTER TABLE ONLY public.execution ALTER COLUMN id SET DEFAULT nextval('public.execution_id_seq'::regclass);
ALTER TABLE ONLY public.type ALTER COLUMN id SET DEFAULT nextval('public.type_id_seq'::regclass);
INSERT INTO public.artifact VALUES (6, 11, '/model', NULL, NULL, 'model-ext', 1796372443288, 1796372443288);
INSERT INTO public.artifact VALUES (2, 10, '', NULL, 'd1', NULL, 1796372443286, 1796372443290);
INSERT INTO public.artifact VALUES (7, 11, '/model/2', NULL, NULL, NULL, 1796372443291, 1796372443291);
INSERT INTO public.artifact VALUES (1, 10, '', NULL, 'd0', NULL, 1796372443285, 1796372443296);
INSERT INTO public.artifact VALUES (5, 10, '/data/4', 2, 'd4', NULL, 1796372443287, 1796372443337);
INSERT INTO public.artifact VALUES (4, 10, '/data/3', 2, 'd3', NULL, 1796372443287, 1796372443338);
INSERT INTO public.artifact VALUES (3, 10, '/data/2', 2, 'd2', NULL, 1796372443287, 1796372443338);
INSERT INTO public.artifactproperty VALUES (3, 'split', false, NULL, NULL, 'eval', NULL);
INSERT INTO public.artifactproperty VALUES (3, 'rows', false, 1000002, NULL, NULL, NULL);
INSERT INTO public.artifactproperty VALUES (3, 'meta', false, NULL, NULL, 'mlmd-struct::ChQKBGNvbHMSDDIKCgMaAWEKAxoBYgoVCgZuZXN0ZWQSCyoJCgcKAXgSAggACg4KAW4SCREAAAAAAAAAQA==', NULL);
INSERT INTO public.artifactproperty VALUES (3, 'ratio', false, NULL, 0.285714, NULL, NULL);
INSERT INTO public.artifactproperty VALUES (3, 'note', true, NULL, NULL, 'n2', NULL);
INSERT INTO public.artifactproperty VALUES (4, 'split', false, NULL, NULL, 'train', NULL);
INSERT INTO public.artifactproperty VALUES (4, 'ratio', false, NULL, 0.428571, NULL, NULL);
INSERT INTO public.artifactproperty VALUES (4, 'rows', false, 1000003, NULL, NULL, NULL);
INSERT INTO public.artifactproperty VALUES (4, 'meta', false, NULL, NULL, 'mlmd-struct::ChQKBGNvbHMSDDIKCgMaAWEKAxoBYgoOCgFuEgkRAAAAAAAACEAKFQoGbmVzdGVkEgsqCQoHCgF4EgIIAA==', NULL);
INSERT INTO public.artifactproperty VALUES (4, 'note', true, NULL, NULL, 'n3', NULL);
INSERT INTO public.artifactproperty VALUES (5, 'split', false, NULL, NULL, 'eval', NULL);
INSERT INTO public.artifactproperty VALUES (5, 'meta', false, NULL, NULL, 'mlmd-struct::ChQKBGNvbHMSDDIKCgMaAWEKAxoBYgoOCgFuEgkRAAAAAAAAEEAKFQoGbmVzdGVkEgsqCQoHCgF4EgIIAA==', NULL);
INSERT INTO public.artifactproperty VALUES (5, 'rows', false, 1000004, NULL, NULL, NULL);
INSERT INTO public.artifactproperty VALUES (5, 'ratio', false, NULL, 0.571429, NULL, NULL);
INSERT INTO public.artifactproperty VALUES (5, 'note', true, NULL, NULL, 'n4', NULL);
INSERT INTO public.artifactproperty VALUES (1, 'note', true, NULL, NULL, 'updated', NULL);
INSERT INTO public.association VALUES (1, 2, 1);
INSERT INTO public.attribution VALUES (1, 2, 2);
INSERT INTO public.attribution VALUES (2, 2, 7);
INSERT INTO public.attribution VALUES (3, 2, 1);
INSERT INTO public.attribution VALUES (4, 1, 6);
INSERT INTO public.context VALUES (1, 14, 'p', NULL, 1796372443288, 1796372443288);
INSERT INTO public.context VALUES (2, 13, 'run-1', NULL, 1796372443292, 1796372443292);
INSERT INTO public.event VALUES (1, 1, 1, 3, 1796372443292);
INSERT INTO public.event VALUES (2, 2, 1, 3, 1796372443292);
INSERT INTO public.event VALUES (3, 7, 1, 4, 1796372443292);
INSERT INTO public.eventpath VALUES (1, false, NULL, 'examples');
INSERT INTO public.eventpath VALUES (1, true, 1, NULL);
INSERT INTO public.eventpath VALUES (2, false, NULL, 'examples');
INSERT INTO public.eventpath VALUES (2, true, 2, NULL);
INSERT INTO public.execution VALUES (1, 12, 3, 'train-1', NULL, 1796372443291, 1796372443291);
INSERT INTO public.executionproperty VALUES (1, 'lr', false, NULL, 0.01, NULL, NULL);
INSERT INTO public.executionproperty VALUES (1, 'epochs', true, 3, NULL, NULL, NULL);
INSERT INTO public.mlmdenv VALUES (7);
INSERT INTO public.parentcontext VALUES (2, 1);
INSERT INTO public.parenttype VALUES (10, 1);
INSERT INTO public.parenttype VALUES (12, 5);
INSERT INTO public.type VALUES (1, 'mlmd.Dataset', NULL, 1, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (2, 'mlmd.Model', NULL, 1, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (3, 'mlmd.Metrics', NULL, 1, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (4, 'mlmd.Statistics', NULL, 1, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (5, 'mlmd.Train', NULL, 0, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (6, 'mlmd.Transform', NULL, 0, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (7, 'mlmd.Process', NULL, 0, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (8, 'mlmd.Evaluate', NULL, 0, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (9, 'mlmd.Deploy', NULL, 0, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (10, 'DataSet', 'v1', 1, 'training data', NULL, NULL, 'type-dataset');
INSERT INTO public.type VALUES (11, 'Model', NULL, 1, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (12, 'Trainer', NULL, 0, NULL, '{"simple":{"name":"DataSet"}}', NULL, NULL);
INSERT INTO public.type VALUES (13, 'PipelineRun', NULL, 2, NULL, NULL, NULL, NULL);
INSERT INTO public.type VALUES (14, 'Pipeline', NULL, 2, NULL, NULL, NULL, NULL);
INSERT INTO public.typeproperty VALUES (10, 'ratio', 2);
INSERT INTO public.typeproperty VALUES (10, 'meta', 4);
INSERT INTO public.typeproperty VALUES (10, 'spec', 5);
INSERT INTO public.typeproperty VALUES (10, 'ok', 6);
INSERT INTO public.typeproperty VALUES (10, 'split', 3);
INSERT INTO public.typeproperty VALUES (10, 'rows', 1);
INSERT INTO public.typeproperty VALUES (12, 'lr', 2);
SELECT pg_catalog.setval('public.artifact_id_seq', 7, true);
SELECT pg_catalog.setval('public.association_id_seq', 1, true);
SELECT pg_catalog.setval('public.attribution_id_seq', 4, true);
SELECT pg_catalog.setval('public.context_id_seq', 2, true);
SELECT pg_catalog.setval('public.event_id_seq', 3, true);
SELECT pg_catalog.setval('public.execution_id_seq', 1, true);
SELECT pg_catalog.setval('public.type_id_seq', 14, true);
ALTER TABLE ONLY public.artifact
    ADD CONSTRAINT artifact_external_id_key UNIQUE (external_id);
ALTER TABLE ONLY public.artifact
    ADD CONSTRAINT artifact_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.artifactproperty
    ADD CONSTRAINT artifactpropertytemp_pkey PRIMARY KEY (artifact_id, name, is_custom_property);
ALTER TABLE ONLY public.association
    ADD CONSTRAINT association_context_id_execution_id_key UNIQUE (context_id, execution_id);
ALTER TABLE ONLY public.association
    ADD CONSTRAINT association_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.attribution
    ADD CONSTRAINT attribution_context_id_artifact_id_key UNIQUE (context_id, artifact_id);
ALTER TABLE ONLY public.attribution
    ADD CONSTRAINT attribution_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.context
    ADD CONSTRAINT context_external_id_key UNIQUE (external_id);
ALTER TABLE ONLY public.context
    ADD CONSTRAINT context_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.context
    ADD CONSTRAINT context_type_id_name_key UNIQUE (type_id, name);
ALTER TABLE ONLY public.contextproperty
    ADD CONSTRAINT contextpropertytemp_pkey PRIMARY KEY (context_id, name, is_custom_property);
ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.execution
    ADD CONSTRAINT execution_external_id_key UNIQUE (external_id);
ALTER TABLE ONLY public.execution
    ADD CONSTRAINT execution_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.executionproperty
    ADD CONSTRAINT executionpropertytemp_pkey PRIMARY KEY (execution_id, name, is_custom_property);
ALTER TABLE ONLY public.mlmdenv
    ADD CONSTRAINT mlmdenv_pkey PRIMARY KEY (schema_version);
ALTER TABLE ONLY public.parentcontext
    ADD CONSTRAINT parentcontext_pkey PRIMARY KEY (context_id, parent_context_id);
ALTER TABLE ONLY public.parenttype
    ADD CONSTRAINT parenttype_pkey PRIMARY KEY (type_id, parent_type_id);
ALTER TABLE ONLY public.type
    ADD CONSTRAINT type_external_id_key UNIQUE (external_id);
ALTER TABLE ONLY public.type
    ADD CONSTRAINT type_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.typeproperty
    ADD CONSTRAINT typeproperty_pkey PRIMARY KEY (type_id, name);
ALTER TABLE ONLY public.artifact
    ADD CONSTRAINT uniqueartifacttypename UNIQUE (type_id, name);
ALTER TABLE ONLY public.execution
    ADD CONSTRAINT uniqueexecutiontypename UNIQUE (type_id, name);
CREATE INDEX idx_artifact_create_time_since_epoch ON public.artifact USING btree (create_time_since_epoch);
CREATE INDEX idx_artifact_external_id ON public.artifact USING btree (external_id);
CREATE INDEX idx_artifact_last_update_time_since_epoch ON public.artifact USING btree (last_update_time_since_epoch);
CREATE INDEX idx_artifact_uri ON public.artifact USING btree (uri);
CREATE INDEX idx_context_create_time_since_epoch ON public.context USING btree (create_time_since_epoch);
CREATE INDEX idx_context_external_id ON public.context USING btree (external_id);
CREATE INDEX idx_context_last_update_time_since_epoch ON public.context USING btree (last_update_time_since_epoch);
CREATE INDEX idx_event_artifact_id ON public.event USING btree (artifact_id);
CREATE INDEX idx_event_execution_id ON public.event USING btree (execution_id);
CREATE INDEX idx_eventpath_event_id ON public.eventpath USING btree (event_id);
CREATE INDEX idx_execution_create_time_since_epoch ON public.execution USING btree (create_time_since_epoch);
CREATE INDEX idx_execution_external_id ON public.execution USING btree (external_id);
CREATE INDEX idx_execution_last_update_time_since_epoch ON public.execution USING btree (last_update_time_since_epoch);
CREATE INDEX idx_parentcontext_parent_context_id ON public.parentcontext USING btree (parent_context_id);
CREATE INDEX idx_type_external_id ON public.type USING btree (external_id);
CREATE INDEX idx_type_name ON public.type USING btree (name);
