//! The kind registry: one table of every kind platformgen emits or reasons
//! about, built into Kubernetes or custom. Everything that depends on a kind
//! rather than on one object reads it from here: apply order and phase, scope,
//! where the pod template is, which fields hold secret data, whether it scales
//! pods, and, for operator kinds, which objects the operator creates.
//!
//! A kind emitted by lowering is bound to its row through its Rust type
//! (`k8s_openapi::Resource`, implemented for custom resources with
//! [`custom_resource!`](crate::custom_resource)), so identity comes from the
//! type and is never parsed back out of JSON.

/// Whether objects of a kind live in a namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
}

/// When a kind is applied, coarsely: what must exist before it. The registry's
/// row order refines this into the apply order; phases are what a GitOps tool's
/// waves are derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Namespaces and cluster-scoped definitions everything else lives in.
    Foundation,
    /// Quotas, limits and network policies: guardrails before pods exist.
    Guardrails,
    /// Service accounts and RBAC.
    Identity,
    /// Secrets, their sources, and configuration that pods read at start.
    Configuration,
    /// Data services run by operators: before the workloads that connect
    /// to them.
    Data,
    /// Volumes and Services: what pods attach to.
    Attachment,
    /// Objects that run pods.
    Workload,
    /// Autoscalers and disruption budgets of workloads.
    Scaling,
    /// Routes from outside, and the certificates they need.
    Exposure,
}

/// Where a kind's definition comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Built into the Kubernetes API server.
    BuiltIn,
    /// A custom resource: needs its CRD (and controller) installed, so it is
    /// applied after every built-in kind. Its schema is vendored at
    /// `crd-schemas/<group>/<kind lowercased>_<version>.json`.
    Custom,
}

/// An object an operator creates for each object of an operator kind: its kind
/// and its name, where `{name}` stands for the operator object's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Created {
    pub group: &'static str,
    pub kind: &'static str,
    pub name: &'static str,
}

/// A named container port of the pods an operator runs for an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodPort {
    pub name: &'static str,
    pub number: u16,
    /// The port is declared only when this JSON path of the object holds a
    /// value other than `false` (an exporter turned on, TLS configured);
    /// empty: always.
    pub when: &'static [&'static str],
}

impl PodPort {
    const fn always(name: &'static str, number: u16) -> Self {
        Self {
            name,
            number,
            when: &[],
        }
    }
}

/// The named container ports of the pods an operator runs for each object
/// of a kind, as the operator's source writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorPorts {
    pub ports: &'static [PodPort],
    /// A pod template of the object the operator merges into its own (the
    /// MongoDB operator's `spec.statefulSet.spec.template`): the named
    /// ports of its containers are the pods' too.
    pub merged_template: Option<&'static [&'static str]>,
}

impl Created {
    /// A Service the operator creates, by its name's pattern.
    const fn service(name: &'static str) -> Self {
        Self {
            group: "",
            kind: "Service",
            name,
        }
    }
}

/// One kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// `apps`; empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub scope: Scope,
    pub phase: Phase,
    pub origin: Origin,
    /// JSON path to the pod template (a PodTemplateSpec), for kinds that run
    /// pods; the empty path for a Pod itself.
    pub pod_template: Option<&'static [&'static str]>,
    /// Whether the pods are meant to keep running (and so need probes and
    /// replicas), as opposed to Jobs, whose pods finish.
    pub long_running: bool,
    /// Whether the kind has a replica count a rule can ask to be 2 or more.
    pub replicated: bool,
    /// JSON paths to the maps whose values are secret.
    pub secret_data: &'static [&'static [&'static str]],
    /// For kinds that scale pods: the kind their `spec.scaleTargetRef` names
    /// when it names none (empty: it must name one).
    pub scales: Option<&'static str>,
    /// What the operator creates for each object of this kind.
    pub creates: &'static [Created],
    /// Whether objects of this kind hold data that is lost with them: a
    /// volume claim, or a data service whose operator deletes its volumes
    /// (or orphans them) when the object is deleted. `diff` warns when one
    /// is removed.
    pub holds_data: bool,
    /// For custom kinds: the operator or controller that installs the kind's
    /// CRD and acts on its objects, by the name `platformgen addons` lists it
    /// under (`cert-manager`, `cloudnative-pg`, …); empty for built-in kinds.
    pub operator: &'static str,
    /// For operator kinds: the labels of the pods the operator runs for each
    /// object (`{name}` stands for the object's name), so selectors of
    /// Services, disruption budgets, monitors and network policies can be
    /// resolved against them. Empty when the operator runs no pods of its
    /// own or their labels are not known.
    pub pod_labels: &'static [(&'static str, &'static str)],
    /// For operator kinds with `pod_labels`: the named ports of those pods,
    /// so a Service's named `targetPort`, a PodMonitor's port and a
    /// NetworkPolicy's named port can be resolved against them. `None`
    /// when the ports are not known (not checked); an empty list when the
    /// operator names none.
    pub pod_ports: Option<OperatorPorts>,
    /// For operator kinds that run more than one set of pods per object:
    /// the labels of the others (a RedisCluster's followers besides its
    /// leaders), with the same ports.
    pub more_pods: &'static [&'static [(&'static str, &'static str)]],
    /// JSON paths to the fields naming a StorageClass, `*` standing for
    /// every element of an array: a claim's, a claim template's, or those
    /// of the volumes an operator creates for a data service, so a class
    /// nothing provides is found whichever kind names it.
    pub storage_classes: &'static [&'static [&'static str]],
}

impl Kind {
    const fn built_in(group: &'static str, version: &'static str, kind: &'static str) -> Self {
        Self {
            group,
            version,
            kind,
            scope: Scope::Namespaced,
            phase: Phase::Configuration,
            origin: Origin::BuiltIn,
            pod_template: None,
            long_running: false,
            replicated: false,
            secret_data: &[],
            scales: None,
            creates: &[],
            holds_data: false,
            operator: "",
            pod_labels: &[],
            pod_ports: None,
            more_pods: &[],
            storage_classes: &[],
        }
    }

    const fn custom(
        group: &'static str,
        version: &'static str,
        kind: &'static str,
        operator: &'static str,
    ) -> Self {
        Self {
            origin: Origin::Custom,
            operator,
            ..Self::built_in(group, version, kind)
        }
    }

    const fn cluster(self) -> Self {
        Self {
            scope: Scope::Cluster,
            ..self
        }
    }

    const fn phase(self, phase: Phase) -> Self {
        Self { phase, ..self }
    }

    const fn pods(self, template: &'static [&'static str], long_running: bool) -> Self {
        Self {
            pod_template: Some(template),
            long_running,
            phase: Phase::Workload,
            ..self
        }
    }

    const fn replicated(self) -> Self {
        Self {
            replicated: true,
            ..self
        }
    }

    const fn secret_data(self, paths: &'static [&'static [&'static str]]) -> Self {
        Self {
            secret_data: paths,
            ..self
        }
    }

    const fn creates(self, objects: &'static [Created]) -> Self {
        Self {
            creates: objects,
            ..self
        }
    }

    const fn pod_labels(self, labels: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            pod_labels: labels,
            ..self
        }
    }

    const fn pod_ports(self, ports: &'static [PodPort]) -> Self {
        Self {
            pod_ports: Some(OperatorPorts {
                ports,
                merged_template: None,
            }),
            ..self
        }
    }

    const fn more_pods(self, sets: &'static [&'static [(&'static str, &'static str)]]) -> Self {
        Self {
            more_pods: sets,
            ..self
        }
    }

    const fn operator_ports(self, ports: OperatorPorts) -> Self {
        Self {
            pod_ports: Some(ports),
            ..self
        }
    }

    const fn storage_classes(self, paths: &'static [&'static [&'static str]]) -> Self {
        Self {
            storage_classes: paths,
            ..self
        }
    }

    const fn holds_data(self) -> Self {
        Self {
            holds_data: true,
            ..self
        }
    }

    const fn scales(self, default_target: &'static str) -> Self {
        Self {
            scales: Some(default_target),
            phase: Phase::Scaling,
            ..self
        }
    }

    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_owned()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// Where the kind's CRD schema is vendored, relative to `crd-schemas/`.
    pub fn schema_path(&self) -> Option<String> {
        (self.origin == Origin::Custom).then(|| {
            format!(
                "{}/{}_{}.json",
                self.group,
                self.kind.to_ascii_lowercase(),
                self.version
            )
        })
    }
}

const TEMPLATE: &[&str] = &["spec", "template"];
const CLAIM_TEMPLATES: &[&str] = &[
    "spec",
    "volumeClaimTemplates",
    "*",
    "spec",
    "storageClassName",
];
/// The redis-operator's pods (`internal/k8sutils/statefulset.go`): the
/// server's container declares no port; the exporter's, when turned on, is
/// `redis-exporter`.
const REDIS_PORTS: &[PodPort] = &[PodPort {
    name: "redis-exporter",
    number: 9121,
    when: &["spec", "redisExporter", "enabled"],
}];
const RABBITMQ_TLS: &[&str] = &["spec", "tls", "secretName"];
/// The redis-operator's data volume (`spec.storage`), in every kind that
/// stores data.
const REDIS_STORAGE: &[&str] = &[
    "spec",
    "storage",
    "volumeClaimTemplate",
    "spec",
    "storageClassName",
];
use Phase::{Attachment, Configuration, Data, Exposure, Foundation, Guardrails, Identity, Scaling};

/// Every kind, in apply order: what others depend on first. Built-in kinds by
/// their row; custom resources after every built-in kind, since their
/// definitions must be installed first, in the order of their kind names.
pub static KINDS: &[Kind] = &[
    Kind::built_in("", "v1", "Namespace")
        .cluster()
        .phase(Foundation),
    Kind::built_in("apiextensions.k8s.io", "v1", "CustomResourceDefinition")
        .cluster()
        .phase(Foundation),
    Kind::built_in("scheduling.k8s.io", "v1", "PriorityClass")
        .cluster()
        .phase(Foundation),
    Kind::built_in("storage.k8s.io", "v1", "StorageClass")
        .cluster()
        .phase(Foundation),
    Kind::built_in("rbac.authorization.k8s.io", "v1", "ClusterRole")
        .cluster()
        .phase(Identity),
    Kind::built_in("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding")
        .cluster()
        .phase(Identity),
    Kind::built_in("", "v1", "ResourceQuota").phase(Guardrails),
    Kind::built_in("", "v1", "LimitRange").phase(Guardrails),
    Kind::built_in("networking.k8s.io", "v1", "NetworkPolicy").phase(Guardrails),
    Kind::built_in("", "v1", "ServiceAccount").phase(Identity),
    Kind::built_in("rbac.authorization.k8s.io", "v1", "Role").phase(Identity),
    Kind::built_in("rbac.authorization.k8s.io", "v1", "RoleBinding").phase(Identity),
    Kind::built_in("", "v1", "Secret").secret_data(&[&["data"], &["stringData"]]),
    Kind::built_in("", "v1", "ConfigMap"),
    Kind::built_in("", "v1", "PersistentVolumeClaim")
        .phase(Attachment)
        .holds_data()
        .storage_classes(&[&["spec", "storageClassName"]]),
    Kind::built_in("", "v1", "Service").phase(Attachment),
    Kind::built_in("apps", "v1", "Deployment")
        .pods(TEMPLATE, true)
        .replicated(),
    Kind::built_in("apps", "v1", "StatefulSet")
        .pods(TEMPLATE, true)
        .replicated()
        .storage_classes(&[CLAIM_TEMPLATES]),
    Kind::built_in("apps", "v1", "DaemonSet").pods(TEMPLATE, true),
    Kind::built_in("apps", "v1", "ReplicaSet").pods(TEMPLATE, true),
    Kind::built_in("", "v1", "Pod").pods(&[], false),
    Kind::built_in("batch", "v1", "Job").pods(TEMPLATE, false),
    Kind::built_in("batch", "v1", "CronJob")
        .pods(&["spec", "jobTemplate", "spec", "template"], false),
    Kind::built_in("autoscaling", "v2", "HorizontalPodAutoscaler").scales(""),
    Kind::built_in("policy", "v1", "PodDisruptionBudget").phase(Scaling),
    Kind::built_in("networking.k8s.io", "v1", "IngressClass")
        .cluster()
        .phase(Exposure),
    Kind::built_in("networking.k8s.io", "v1", "Ingress").phase(Exposure),
    // Custom resources, by kind name.
    Kind::custom(
        "monitoring.coreos.com",
        "v1alpha1",
        "AlertmanagerConfig",
        "prometheus-operator",
    )
    .phase(Exposure),
    // Read by a Rollout's analysis: present before the Rollout that runs it.
    Kind::custom(
        "argoproj.io",
        "v1alpha1",
        "AnalysisTemplate",
        "argo-rollouts",
    )
    .phase(Configuration),
    // ArgoCD's own kinds (`platformgen argocd`), in ArgoCD's namespace: the
    // project an environment's Application is confined to, the
    // Applications of the platform and of its add-ons, and the
    // ApplicationSet making an Application per pull request of a preview
    // environment.
    Kind::custom("argoproj.io", "v1alpha1", "AppProject", "argo-cd").phase(Foundation),
    Kind::custom("argoproj.io", "v1alpha1", "Application", "argo-cd"),
    Kind::custom("argoproj.io", "v1alpha1", "ApplicationSet", "argo-cd"),
    // A certificate cert-manager keeps in the Secret `spec.secretName`
    // (`validate/rendered.rs` knows it): before the data services and
    // workloads that mount it.
    Kind::custom("cert-manager.io", "v1", "Certificate", "cert-manager").phase(Configuration),
    Kind::custom("postgresql.cnpg.io", "v1", "Cluster", "cloudnative-pg")
        .pod_labels(&[
            ("cnpg.io/cluster", "{name}"),
            ("cnpg.io/podRole", "instance"),
        ])
        // `pkg/specs/pods.go`: the instance manager's container.
        .pod_ports(&[
            PodPort::always("postgresql", 5432),
            PodPort::always("metrics", 9187),
            PodPort::always("status", 8000),
        ])
        .storage_classes(&[
            &["spec", "storage", "storageClass"],
            &["spec", "walStorage", "storageClass"],
        ])
        .holds_data()
        .phase(Data)
        .creates(&[
            Created {
                group: "",
                kind: "Secret",
                name: "{name}-app",
            },
            Created {
                group: "",
                kind: "Service",
                name: "{name}-rw",
            },
            Created {
                group: "",
                kind: "Service",
                name: "{name}-ro",
            },
            Created {
                group: "",
                kind: "Service",
                name: "{name}-r",
            },
        ]),
    Kind::custom("cert-manager.io", "v1", "ClusterIssuer", "cert-manager")
        .cluster()
        .phase(Exposure),
    Kind::custom(
        "external-secrets.io",
        "v1",
        "ExternalSecret",
        "external-secrets",
    )
    .phase(Configuration),
    Kind::custom("gateway.networking.k8s.io", "v1", "Gateway", "gateway-api").phase(Exposure),
    Kind::custom(
        "gateway.networking.k8s.io",
        "v1",
        "HTTPRoute",
        "gateway-api",
    )
    .phase(Exposure),
    Kind::custom("traefik.io", "v1alpha1", "Middleware", "traefik").phase(Exposure),
    // The MongoDB Community Operator's objects (`api/v1/
    // mongodbcommunity_types.go`): the headless Service of the members, the
    // automation config, the agent's password and keyfile. Each user's
    // connection Secret `{name}-<db>-<user>` depends on the user, so it is
    // not listed.
    Kind::custom(
        "mongodbcommunity.mongodb.com",
        "v1",
        "MongoDBCommunity",
        "mongodb-community-operator",
    )
    .pod_labels(&[("app", "{name}-svc")])
    // `controllers/construct/mongodbstatefulset.go`: neither `mongod` nor
    // the agent declares a port; the template the spec merges may.
    .operator_ports(OperatorPorts {
        ports: &[],
        merged_template: Some(&["spec", "statefulSet", "spec", "template"]),
    })
    .storage_classes(&[&[
        "spec",
        "statefulSet",
        "spec",
        "volumeClaimTemplates",
        "*",
        "spec",
        "storageClassName",
    ]])
    .holds_data()
    .phase(Data)
    .creates(&[
        Created {
            group: "",
            kind: "Secret",
            name: "{name}-agent-password",
        },
        Created {
            group: "",
            kind: "Secret",
            name: "{name}-config",
        },
        Created {
            group: "",
            kind: "Secret",
            name: "{name}-keyfile",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}-svc",
        },
    ]),
    // The Prometheus Operator's kinds (PodMonitor, Probe, PrometheusRule,
    // ServiceMonitor) need only the pods and Services they select.
    Kind::custom(
        "monitoring.coreos.com",
        "v1",
        "PodMonitor",
        "prometheus-operator",
    )
    .phase(Exposure),
    Kind::custom("postgresql.cnpg.io", "v1", "Pooler", "cloudnative-pg")
        .pod_labels(&[
            ("cnpg.io/poolerName", "{name}"),
            ("cnpg.io/podRole", "pooler"),
        ])
        // `pkg/specs/pgbouncer/deployments.go`.
        .pod_ports(&[
            PodPort::always("pgbouncer", 5432),
            PodPort::always("metrics", 9127),
        ])
        .phase(Data)
        .creates(&[Created {
            group: "",
            kind: "Service",
            name: "{name}",
        }]),
    Kind::custom(
        "monitoring.coreos.com",
        "v1",
        "Probe",
        "prometheus-operator",
    )
    .phase(Exposure),
    Kind::custom(
        "monitoring.coreos.com",
        "v1",
        "PrometheusRule",
        "prometheus-operator",
    )
    .phase(Exposure),
    // The RabbitMQ Cluster Operator's objects (`internal/resource/`): the
    // client Service, the headless one of the nodes, the default user's
    // credentials and the Erlang cookie.
    Kind::custom(
        "rabbitmq.com",
        "v1beta1",
        "RabbitmqCluster",
        "rabbitmq-cluster-operator",
    )
    .pod_labels(&[
        ("app.kubernetes.io/name", "{name}"),
        ("app.kubernetes.io/component", "rabbitmq"),
    ])
    // `internal/resource/statefulset.go`: the broker's listeners, and the
    // TLS ones when `tls.secretName` is set (plugins add more, which the
    // platform does not enable).
    .pod_ports(&[
        PodPort::always("epmd", 4369),
        PodPort::always("amqp", 5672),
        PodPort::always("management", 15672),
        PodPort::always("prometheus", 15692),
        PodPort {
            name: "amqps",
            number: 5671,
            when: RABBITMQ_TLS,
        },
        PodPort {
            name: "management-tls",
            number: 15671,
            when: RABBITMQ_TLS,
        },
        PodPort {
            name: "prometheus-tls",
            number: 15691,
            when: RABBITMQ_TLS,
        },
    ])
    .storage_classes(&[&["spec", "persistence", "storageClassName"]])
    .holds_data()
    .phase(Data)
    .creates(&[
        Created {
            group: "",
            kind: "Secret",
            name: "{name}-default-user",
        },
        Created {
            group: "",
            kind: "Secret",
            name: "{name}-erlang-cookie",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}-nodes",
        },
    ]),
    // OT-Container-Kit redis-operator (v0.22, `internal/k8sutils/
    // redis-{standalone,replication,sentinel}.go`): the Services it creates
    // per object. The password Secret is the user's, never created.
    Kind::custom(
        "redis.redis.opstreelabs.in",
        "v1beta2",
        "Redis",
        "redis-operator",
    )
    .pod_labels(&[
        ("app", "{name}"),
        ("redis_setup_type", "standalone"),
        ("role", "standalone"),
    ])
    .pod_ports(REDIS_PORTS)
    .storage_classes(&[REDIS_STORAGE])
    .holds_data()
    .phase(Data)
    .creates(&[
        Created {
            group: "",
            kind: "Service",
            name: "{name}",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}-headless",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}-additional",
        },
    ]),
    // A sharded Redis (`internal/k8sutils/redis-cluster.go`): the leaders'
    // StatefulSet and Services `{name}-leader`, the followers'
    // `{name}-follower`, each with `-headless` and `-additional`.
    Kind::custom(
        "redis.redis.opstreelabs.in",
        "v1beta2",
        "RedisCluster",
        "redis-operator",
    )
    .pod_labels(&[
        ("app", "{name}-leader"),
        ("redis_setup_type", "cluster"),
        ("role", "leader"),
    ])
    .more_pods(&[&[
        ("app", "{name}-follower"),
        ("redis_setup_type", "cluster"),
        ("role", "follower"),
    ]])
    .pod_ports(REDIS_PORTS)
    .storage_classes(&[
        REDIS_STORAGE,
        &[
            "spec",
            "storage",
            "nodeConfVolumeClaimTemplate",
            "spec",
            "storageClassName",
        ],
    ])
    .holds_data()
    .phase(Data)
    .creates(&[
        Created::service("{name}-leader"),
        Created::service("{name}-leader-headless"),
        Created::service("{name}-leader-additional"),
        Created::service("{name}-follower"),
        Created::service("{name}-follower-headless"),
        Created::service("{name}-follower-additional"),
    ]),
    Kind::custom(
        "redis.redis.opstreelabs.in",
        "v1beta2",
        "RedisReplication",
        "redis-operator",
    )
    .pod_labels(&[
        ("app", "{name}"),
        ("redis_setup_type", "replication"),
        ("role", "replication"),
    ])
    .pod_ports(REDIS_PORTS)
    .storage_classes(&[REDIS_STORAGE])
    .holds_data()
    .phase(Data)
    .creates(&[
        Created {
            group: "",
            kind: "Service",
            name: "{name}",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}-headless",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}-additional",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}-master",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}-replica",
        },
    ]),
    Kind::custom(
        "redis.redis.opstreelabs.in",
        "v1beta2",
        "RedisSentinel",
        "redis-operator",
    )
    .pod_labels(&[
        ("app", "{name}-sentinel"),
        ("redis_setup_type", "sentinel"),
        ("role", "sentinel"),
    ])
    .pod_ports(REDIS_PORTS)
    .phase(Data)
    .creates(&[
        Created {
            group: "",
            kind: "Service",
            name: "{name}-sentinel",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}-sentinel-headless",
        },
        Created {
            group: "",
            kind: "Service",
            name: "{name}-sentinel-additional",
        },
    ]),
    Kind::custom("argoproj.io", "v1alpha1", "Rollout", "argo-rollouts")
        .pods(TEMPLATE, true)
        .replicated(),
    Kind::custom("keda.sh", "v1alpha1", "ScaledObject", "keda").scales("Deployment"),
    Kind::custom("velero.io", "v1", "Schedule", "velero"),
    Kind::custom(
        "postgresql.cnpg.io",
        "v1",
        "ScheduledBackup",
        "cloudnative-pg",
    )
    .phase(Data),
    Kind::custom("bitnami.com", "v1alpha1", "SealedSecret", "sealed-secrets")
        .phase(Configuration)
        .secret_data(&[&["spec", "encryptedData"]]),
    Kind::custom(
        "external-secrets.io",
        "v1",
        "SecretStore",
        "external-secrets",
    )
    .phase(Configuration),
    Kind::custom(
        "monitoring.coreos.com",
        "v1",
        "ServiceMonitor",
        "prometheus-operator",
    )
    .phase(Exposure),
    // The MinIO Operator's Services (operator `pkg/resources/services`): the
    // S3 API is `minio` in every tenant, whatever its name.
    Kind::custom("minio.min.io", "v2", "Tenant", "minio-operator")
        .pod_labels(&[("v1.min.io/tenant", "{name}")])
        // `pkg/resources/statefulsets/minio-statefulset.go`: the S3 and
        // console ports are declared without names.
        .pod_ports(&[])
        .storage_classes(&[&[
            "spec",
            "pools",
            "*",
            "volumeClaimTemplate",
            "spec",
            "storageClassName",
        ]])
        .holds_data()
        .phase(Data)
        .creates(&[
            Created {
                group: "",
                kind: "Service",
                name: "minio",
            },
            Created {
                group: "",
                kind: "Service",
                name: "{name}-console",
            },
            Created {
                group: "",
                kind: "Service",
                name: "{name}-hl",
            },
        ]),
    Kind::custom("keda.sh", "v1alpha1", "TriggerAuthentication", "keda"),
];

/// The registry row of `group`/`kind`, if the kind is registered: the row
/// at its [`rank`], which is also how a manifest finds its row.
pub fn lookup(group: &str, kind: &str) -> Option<&'static Kind> {
    KINDS.get(rank(group, kind))
}

/// The apply-order rank of `group`/`kind`: its row for built-in kinds and
/// registered custom kinds (which come after every built-in row); past every
/// row for kinds the registry does not know.
pub fn rank(group: &str, kind: &str) -> usize {
    KINDS
        .iter()
        .position(|k| k.kind == kind && k.group == group)
        .unwrap_or(KINDS.len())
}

/// Implements `k8s_openapi::Resource` and `Metadata` for a custom resource
/// struct with a `metadata: ObjectMeta` field, binding it to its group,
/// version and kind once. The struct carries no `apiVersion` or `kind` field:
/// [`Manifest::of`](crate::object::Manifest::of) writes both from the type.
#[macro_export]
macro_rules! custom_resource {
    ($type:ty, $group:literal, $version:literal, $kind:literal, $scope:ident, $plural:literal) => {
        impl k8s_openapi::Resource for $type {
            const API_VERSION: &'static str = concat!($group, "/", $version);
            const GROUP: &'static str = $group;
            const KIND: &'static str = $kind;
            const VERSION: &'static str = $version;
            const URL_PATH_SEGMENT: &'static str = $plural;
            type Scope = $crate::custom_resource!(@scope $scope);
        }

        impl k8s_openapi::Metadata for $type {
            type Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

            fn metadata(&self) -> &Self::Ty {
                &self.metadata
            }

            fn metadata_mut(&mut self) -> &mut Self::Ty {
                &mut self.metadata
            }
        }
    };
    (@scope Namespaced) => {
        k8s_openapi::NamespaceResourceScope
    };
    (@scope Cluster) => {
        k8s_openapi::ClusterResourceScope
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_kinds_come_before_custom_ones_and_custom_ones_by_name() {
        let first_custom = KINDS
            .iter()
            .position(|k| k.origin == Origin::Custom)
            .expect("custom kinds");
        assert!(
            KINDS[first_custom..]
                .iter()
                .all(|k| k.origin == Origin::Custom)
        );
        let names: Vec<&str> = KINDS[first_custom..].iter().map(|k| k.kind).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(
            names, sorted,
            "custom kinds are in the order of their names"
        );
    }

    #[test]
    fn each_kind_is_registered_once() {
        for (index, kind) in KINDS.iter().enumerate() {
            assert_eq!(
                rank(kind.group, kind.kind),
                index,
                "{}/{} is registered twice",
                kind.group,
                kind.kind
            );
        }
    }

    #[test]
    fn built_in_kind_names_are_unique_across_groups() {
        // File paths of built-in kinds carry no group (`deployment-web.yaml`),
        // which is unambiguous only while no two built-in groups share a kind.
        let built_in: Vec<&str> = KINDS
            .iter()
            .filter(|k| k.origin == Origin::BuiltIn)
            .map(|k| k.kind)
            .collect();
        let mut unique = built_in.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), built_in.len());
    }
}
