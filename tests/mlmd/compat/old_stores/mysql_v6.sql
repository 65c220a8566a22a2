/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `Artifact` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `type_id` int(11) NOT NULL,
  `uri` text DEFAULT NULL,
  `state` int(11) DEFAULT NULL,
  `name` varchar(255) DEFAULT NULL,
  `create_time_since_epoch` bigint(20) NOT NULL DEFAULT 0,
  `last_update_time_since_epoch` bigint(20) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  UNIQUE KEY `UniqueArtifactTypeName` (`type_id`,`name`),
  KEY `idx_artifact_uri` (`uri`(255)),
  KEY `idx_artifact_create_time_since_epoch` (`create_time_since_epoch`),
  KEY `idx_artifact_last_update_time_since_epoch` (`last_update_time_since_epoch`)
) ENGINE=InnoDB AUTO_INCREMENT=8 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `Artifact` VALUES (1,10,'',NULL,'d0',1796372427329,1796372427339);
INSERT INTO `Artifact` VALUES (2,10,'',NULL,'d1',1796372427330,1796372427334);
INSERT INTO `Artifact` VALUES (3,10,'/data/2',2,'d2',1796372427331,1796372427343);
INSERT INTO `Artifact` VALUES (4,10,'/data/3',2,'d3',1796372427331,1796372427344);
INSERT INTO `Artifact` VALUES (5,10,'/data/4',2,'d4',1796372427331,1796372427344);
INSERT INTO `Artifact` VALUES (6,11,'/model',NULL,NULL,1796372427332,1796372427332);
INSERT INTO `Artifact` VALUES (7,11,'/model/2',NULL,NULL,1796372427335,1796372427335);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `ArtifactProperty` (
  `artifact_id` int(11) NOT NULL,
  `name` varchar(255) NOT NULL,
  `is_custom_property` tinyint(1) NOT NULL,
  `int_value` int(11) DEFAULT NULL,
  `double_value` double DEFAULT NULL,
  `string_value` text DEFAULT NULL,
  PRIMARY KEY (`artifact_id`,`name`,`is_custom_property`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `ArtifactProperty` VALUES (1,'note',1,NULL,NULL,'updated');
INSERT INTO `ArtifactProperty` VALUES (3,'meta',0,NULL,NULL,'mlmd-struct::ChUKBm5lc3RlZBILKgkKBwoBeBICCAAKDgoBbhIJEQAAAAAAAABAChQKBGNvbHMSDDIKCgMaAWEKAxoBYg==');
INSERT INTO `ArtifactProperty` VALUES (3,'note',1,NULL,NULL,'n2');
INSERT INTO `ArtifactProperty` VALUES (3,'ratio',0,NULL,0.285714,NULL);
INSERT INTO `ArtifactProperty` VALUES (3,'rows',0,1000002,NULL,NULL);
INSERT INTO `ArtifactProperty` VALUES (3,'split',0,NULL,NULL,'eval');
INSERT INTO `ArtifactProperty` VALUES (4,'meta',0,NULL,NULL,'mlmd-struct::Cg4KAW4SCREAAAAAAAAIQAoVCgZuZXN0ZWQSCyoJCgcKAXgSAggAChQKBGNvbHMSDDIKCgMaAWEKAxoBYg==');
INSERT INTO `ArtifactProperty` VALUES (4,'note',1,NULL,NULL,'n3');
INSERT INTO `ArtifactProperty` VALUES (4,'ratio',0,NULL,0.428571,NULL);
INSERT INTO `ArtifactProperty` VALUES (4,'rows',0,1000003,NULL,NULL);
INSERT INTO `ArtifactProperty` VALUES (4,'split',0,NULL,NULL,'train');
INSERT INTO `ArtifactProperty` VALUES (5,'meta',0,NULL,NULL,'mlmd-struct::ChQKBGNvbHMSDDIKCgMaAWEKAxoBYgoVCgZuZXN0ZWQSCyoJCgcKAXgSAggACg4KAW4SCREAAAAAAAAQQA==');
INSERT INTO `ArtifactProperty` VALUES (5,'note',1,NULL,NULL,'n4');
INSERT INTO `ArtifactProperty` VALUES (5,'ratio',0,NULL,0.571429,NULL);
INSERT INTO `ArtifactProperty` VALUES (5,'rows',0,1000004,NULL,NULL);
INSERT INTO `ArtifactProperty` VALUES (5,'split',0,NULL,NULL,'eval');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `Association` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `context_id` int(11) NOT NULL,
  `execution_id` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `context_id` (`context_id`,`execution_id`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `Association` VALUES (1,2,1);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `Attribution` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `context_id` int(11) NOT NULL,
  `artifact_id` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `context_id` (`context_id`,`artifact_id`)
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `Attribution` VALUES (4,1,6);
INSERT INTO `Attribution` VALUES (1,2,1);
INSERT INTO `Attribution` VALUES (3,2,2);
INSERT INTO `Attribution` VALUES (2,2,7);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `Context` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `type_id` int(11) NOT NULL,
  `name` varchar(255) NOT NULL,
  `create_time_since_epoch` bigint(20) NOT NULL DEFAULT 0,
  `last_update_time_since_epoch` bigint(20) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  UNIQUE KEY `type_id` (`type_id`,`name`),
  KEY `idx_context_create_time_since_epoch` (`create_time_since_epoch`),
  KEY `idx_context_last_update_time_since_epoch` (`last_update_time_since_epoch`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `Context` VALUES (1,14,'p',1796372427332,1796372427332);
INSERT INTO `Context` VALUES (2,13,'run-1',1796372427336,1796372427336);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `ContextProperty` (
  `context_id` int(11) NOT NULL,
  `name` varchar(255) NOT NULL,
  `is_custom_property` tinyint(1) NOT NULL,
  `int_value` int(11) DEFAULT NULL,
  `double_value` double DEFAULT NULL,
  `string_value` text DEFAULT NULL,
  PRIMARY KEY (`context_id`,`name`,`is_custom_property`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `Event` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `artifact_id` int(11) NOT NULL,
  `execution_id` int(11) NOT NULL,
  `type` int(11) NOT NULL,
  `milliseconds_since_epoch` bigint(20) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_event_execution_id` (`execution_id`),
  KEY `idx_event_artifact_id` (`artifact_id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `Event` VALUES (1,1,1,3,1796372427335);
INSERT INTO `Event` VALUES (2,2,1,3,1796372427336);
INSERT INTO `Event` VALUES (3,7,1,4,1796372427336);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `EventPath` (
  `event_id` int(11) NOT NULL,
  `is_index_step` tinyint(1) NOT NULL,
  `step_index` int(11) DEFAULT NULL,
  `step_key` text DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `EventPath` VALUES (1,0,NULL,'examples');
INSERT INTO `EventPath` VALUES (1,1,1,NULL);
INSERT INTO `EventPath` VALUES (2,0,NULL,'examples');
INSERT INTO `EventPath` VALUES (2,1,2,NULL);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `Execution` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `type_id` int(11) NOT NULL,
  `last_known_state` int(11) DEFAULT NULL,
  `name` varchar(255) DEFAULT NULL,
  `create_time_since_epoch` bigint(20) NOT NULL DEFAULT 0,
  `last_update_time_since_epoch` bigint(20) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  UNIQUE KEY `UniqueExecutionTypeName` (`type_id`,`name`),
  KEY `idx_execution_create_time_since_epoch` (`create_time_since_epoch`),
  KEY `idx_execution_last_update_time_since_epoch` (`last_update_time_since_epoch`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `Execution` VALUES (1,12,3,'train-1',1796372427335,1796372427335);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `ExecutionProperty` (
  `execution_id` int(11) NOT NULL,
  `name` varchar(255) NOT NULL,
  `is_custom_property` tinyint(1) NOT NULL,
  `int_value` int(11) DEFAULT NULL,
  `double_value` double DEFAULT NULL,
  `string_value` text DEFAULT NULL,
  PRIMARY KEY (`execution_id`,`name`,`is_custom_property`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `ExecutionProperty` VALUES (1,'epochs',1,3,NULL,NULL);
INSERT INTO `ExecutionProperty` VALUES (1,'lr',0,NULL,0.01,NULL);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `MLMDEnv` (
  `schema_version` int(11) NOT NULL,
  PRIMARY KEY (`schema_version`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `MLMDEnv` VALUES (6);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `ParentContext` (
  `context_id` int(11) NOT NULL,
  `parent_context_id` int(11) NOT NULL,
  PRIMARY KEY (`context_id`,`parent_context_id`),
  KEY `idx_parentcontext_parent_context_id` (`parent_context_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `ParentContext` VALUES (2,1);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `ParentType` (
  `type_id` int(11) NOT NULL,
  `parent_type_id` int(11) NOT NULL,
  PRIMARY KEY (`type_id`,`parent_type_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `ParentType` VALUES (10,1);
INSERT INTO `ParentType` VALUES (12,5);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `Type` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `version` varchar(255) DEFAULT NULL,
  `type_kind` tinyint(1) NOT NULL,
  `description` text DEFAULT NULL,
  `input_type` text DEFAULT NULL,
  `output_type` text DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_type_name` (`name`)
) ENGINE=InnoDB AUTO_INCREMENT=15 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `Type` VALUES (1,'mlmd.Dataset',NULL,1,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (2,'mlmd.Model',NULL,1,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (3,'mlmd.Metrics',NULL,1,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (4,'mlmd.Statistics',NULL,1,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (5,'mlmd.Train',NULL,0,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (6,'mlmd.Transform',NULL,0,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (7,'mlmd.Process',NULL,0,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (8,'mlmd.Evaluate',NULL,0,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (9,'mlmd.Deploy',NULL,0,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (10,'DataSet','v1',1,'training data',NULL,NULL);
INSERT INTO `Type` VALUES (11,'Model',NULL,1,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (12,'Trainer',NULL,0,NULL,'{\"simple\":{\"name\":\"DataSet\"}}',NULL);
INSERT INTO `Type` VALUES (13,'PipelineRun',NULL,2,NULL,NULL,NULL);
INSERT INTO `Type` VALUES (14,'Pipeline',NULL,2,NULL,NULL,NULL);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `TypeProperty` (
  `type_id` int(11) NOT NULL,
  `name` varchar(255) NOT NULL,
  `data_type` int(11) DEFAULT NULL,
  PRIMARY KEY (`type_id`,`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `TypeProperty` VALUES (10,'meta',4);
INSERT INTO `TypeProperty` VALUES (10,'ok',6);
INSERT INTO `TypeProperty` VALUES (10,'ratio',2);
INSERT INTO `TypeProperty` VALUES (10,'rows',1);
INSERT INTO `TypeProperty` VALUES (10,'spec',5);
INSERT INTO `TypeProperty` VALUES (10,'split',3);
INSERT INTO `TypeProperty` VALUES (12,'lr',2);
