import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { freePort, isPortOpen, waitFor } from './ports';
import { hasCommand, spawnDetached, stopPid, tail } from './processes';

/** The Apache Kafka release run here: a single KRaft broker from its Maven Central jars. */
export const KAFKA_VERSION = '4.1.1';
const LOG4J_VERSION = '2.24.3';

export interface KafkaBrokerOptions {
  /** Folder for the log dirs, config and broker log. */
  dir: string;
  /** Folder the jars are cached in (downloaded once). */
  jarCacheDir: string;
  port?: number;
  controllerPort?: number;
  /** JVM heap, e.g. "768m". */
  heap?: string;
}

export interface RunningKafka {
  port: number;
  controllerPort: number;
  pid: number;
  brokers: string;
  dir: string;
  stop(): Promise<void>;
}

const pom = (version: string) => `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>ipscope</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${version}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
`;

const log4jConfig = `Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: STDOUT
    Logger:
      - name: kafka.server.KafkaRaftServer
        level: INFO
`;

/**
 * Resolves kafka_2.13 and its runtime dependencies from Maven Central with `mvn`
 * into `<jarCacheDir>/kafka-<version>/libs`. A second call finds them and returns at once.
 */
export function ensureKafkaJars(jarCacheDir: string, version = KAFKA_VERSION): string {
  const home = path.join(jarCacheDir, `kafka-${version}`);
  const libs = path.join(home, 'libs');
  const marker = path.join(home, '.complete');
  if (fs.existsSync(marker)) return libs;
  if (!hasCommand('java', '-version')) {
    throw new Error('Kafka: java was not found. Install a JDK 17+ (apt-get install -y openjdk-17-jre-headless) or set KAFKA_BROKERS.');
  }
  if (!hasCommand('mvn')) {
    throw new Error('Kafka: mvn was not found, so the broker jars cannot be resolved. Install Maven (apt-get install -y maven) or set KAFKA_BROKERS.');
  }
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(home, 'pom.xml'), pom(version));
  process.stderr.write(`ipscope: resolving Apache Kafka ${version} jars from Maven Central (once) ...\n`);
  const r = spawnSync('mvn', ['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libs}`], {
    cwd: home,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) {
    throw new Error(
      `Kafka: downloading the broker jars with mvn failed (exit ${r.status}). Check that Maven Central is reachable, ` +
        `or set KAFKA_BROKERS to an existing cluster.\n${(r.stdout + r.stderr).split('\n').slice(-15).join('\n')}`,
    );
  }
  fs.writeFileSync(marker, new Date().toISOString());
  return libs;
}

function serverProperties(o: { port: number; controllerPort: number; logDir: string }): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${o.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${o.port},CONTROLLER://127.0.0.1:${o.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${o.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${o.logDir}`,
    // A single broker: internal topics must not ask for more replicas than exist,
    // or consumer groups and transactions never form.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=6',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.partitions=6',
    'auto.create.topics.enable=true',
    'log.retention.hours=-1',
    'log.retention.bytes=2147483648',
    '',
  ].join('\n');
}

async function brokerAnswers(brokers: string): Promise<boolean> {
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Formats storage (first time only) and starts `kafka.Kafka` with java, waiting until it answers. */
export async function startKafkaBroker(options: KafkaBrokerOptions): Promise<RunningKafka> {
  const libs = ensureKafkaJars(options.jarCacheDir);
  const port = options.port ?? (await freePort());
  const controllerPort = options.controllerPort ?? (await freePort());
  for (const p of [port, controllerPort]) {
    if (await isPortOpen(p)) throw new Error(`Kafka: port ${p} on 127.0.0.1 is already taken; stop what uses it or choose another port.`);
  }
  const logDir = path.join(options.dir, 'data');
  fs.mkdirSync(options.dir, { recursive: true });
  const propsFile = path.join(options.dir, 'server.properties');
  fs.writeFileSync(propsFile, serverProperties({ port, controllerPort, logDir }));
  const log4jFile = path.join(options.dir, 'log4j2.yaml');
  fs.writeFileSync(log4jFile, log4jConfig);
  const classpath = `${libs}/*`;
  const jvm = [`-Xms256m`, `-Xmx${options.heap ?? '768m'}`, `-Dlog4j2.configurationFile=${log4jFile}`, '-cp', classpath];

  if (!fs.existsSync(path.join(logDir, 'meta.properties'))) {
    const uuid = spawnSync('java', [...jvm, 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' }).stdout.trim();
    const fmt = spawnSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', uuid, '-c', propsFile], {
      encoding: 'utf8',
    });
    if (fmt.status !== 0) throw new Error(`Kafka: formatting storage in ${logDir} failed:\n${fmt.stdout}${fmt.stderr}`);
  }

  const logFile = path.join(options.dir, 'broker.log');
  const pid = spawnDetached('java', [...jvm, 'kafka.Kafka', propsFile], logFile);
  const brokers = `127.0.0.1:${port}`;
  try {
    await waitFor(`Kafka broker on ${brokers}`, () => brokerAnswers(brokers), { timeoutMs: 90_000, intervalMs: 500 });
  } catch (error) {
    await stopPid(pid);
    throw new Error(`Kafka did not start: ${(error as Error).message}\n${tail(logFile)}`);
  }
  return { port, controllerPort, pid, brokers, dir: options.dir, stop: () => stopPid(pid, 30_000) };
}
