/**
 * `ipscope <command>`: one entry point for operators and analysts.
 * Each command lives in its own module and is loaded only when used.
 */
interface Command {
  summary: string;
  run: (argv: string[]) => Promise<number>;
}

const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

const commands: Record<string, Command> = {
  serve: {
    summary: 'run the server (API and/or ingest, from IPSCOPE_ROLES); see README for the environment',
    run: async () => {
      await import('../main');
      return new Promise<number>(() => undefined);
    },
  },
  backfill: {
    summary: 'replay archived logs (file, folder, .gz; Zeek TSV/JSON, Suricata EVE) into Kafka',
    run: async (argv) => (await import('../backfill/command')).backfillCommand(argv, io),
  },
  score: {
    summary: 'score a timestamp,value CSV with the live detector model: adds anomaly_score',
    run: async (argv) => (await import('@ipscope/detect')).scoreCommand(argv, io),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: ipscope <command> [options]',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    "'ipscope <command> --help' describes a command's options.",
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`ipscope: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ipscope: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
