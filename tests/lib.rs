//! The one integration-test binary (one link step for every test). Each module
//! is a behaviour of the `platformgen` binary or of its output.

#![allow(
    clippy::disallowed_methods,
    reason = "tests lay out fixtures and read results on disk"
)]

pub mod support;

mod access_and_quotas;
mod autoscaling_keda;
mod backups_velero;
mod batch_workloads;
mod benchmark_platform;
mod capabilities;
mod check_command;
mod ci_workflow;
mod cli_conventions;
mod command_line_values;
mod data_services;
mod data_services_elasticsearch;
mod data_services_minio;
mod data_services_mongodb;
mod data_services_postgres_replica;
mod data_services_rabbitmq;
mod data_services_redis;
mod determinism;
mod diff;
mod diff_hazards;
mod editor_schemas;
mod error_messages;
mod example_coverage;
mod example_render;
mod explain;
mod exposures;
mod frozen_text;
mod gitops_argocd;
mod gitops_previews;
mod graph;
mod ingress_errors;
mod ingress_routing;
mod init;
mod kind_registry;
mod known_images;
mod kustomize;
mod layering;
mod monitoring;
mod network_policies;
mod out_dir;
mod parameters;
mod patches;
mod pod_spec;
mod policy_docs;
mod policy_in_parts;
mod policy_rules;
mod progressive_delivery;
mod reference_integrity;
mod references;
mod reliability;
mod render_integrity;
mod scanner_skips;
mod scheduling;
mod schema;
mod secret_leaks;
mod secrets;
mod secure_default_errors;
mod seed_examples;
mod selectors_and_backends;
mod shared_cluster;
mod storage_classes;
mod sync_waves;
mod templates;
mod tracing;
mod validation;
mod yaml_safety;
