"""dnf commands (`repoquery …`, `group info …`) run by dnf's own command-line
code in one process: the `dnf` command's setup once, then each command's
`run()` on the same loaded sack, its stdout captured. What each prints is
what `dnf --repofrompath=… <command>` prints (tests/repoquery_dnf.rs checks
that against the real `dnf` command for a few).

Reads a JSON job on stdin:
  {"repos": [[name, dir]...], "arch": "x86_64", "workdir": dir,
   "commands": [[arg...]...]}
and prints one result per command:
  [{"stdout": text, "error": text or null}...]

Every repository gets module_hotfixes, so that modular filtering hides
nothing (rootsmith has no modularity).
"""
import contextlib
import io
import json
import logging
import os
import sys

import dnf
import dnf.cli.cli
import dnf.cli.option_parser
import dnf.conf
import dnf.exceptions

job = json.load(sys.stdin)
work = job["workdir"]
names = [name for name, _ in job["repos"]]
main_args = [
    "-q",
    "--installroot=" + os.path.join(work, "root"),
    "--setopt=cachedir=" + os.path.join(work, "cache"),
    "--setopt=reposdir=/dev/null",
    "--setopt=logdir=" + os.path.join(work, "log"),
    "--noplugins",
    "--releasever=1",
    "--forcearch=" + job["arch"],
]
for name, path in job["repos"]:
    main_args += ["--repofrompath=%s,%s" % (name, os.path.abspath(path)),
                  "--setopt=%s.module_hotfixes=True" % name]
main_args.append("--repo=" + ",".join(names))


def command(cli, args):
    """dnf's Cli.configure() for one command, reduced to what a command on
    an already loaded sack needs: its options parsed, its configure()."""
    cls = cli.cli_commands[args[0]]
    cmd = cls(cli)
    cli.command = cmd
    # A parser holds one command's options: a fresh one for each.
    cli.optparser = dnf.cli.option_parser.OptionParser()
    cli.optparser.parse_command_args(cmd, main_args + args)
    cmd.pre_configure()
    cmd.configure()
    return cmd


for d in ("log", "cache", "root"):
    os.makedirs(os.path.join(work, d), exist_ok=True)
base = dnf.cli.cli.BaseCli(dnf.conf.Conf())
cli = dnf.cli.cli.Cli(base)
# The first command sets everything up as `dnf` does and loads the sack.
cli.configure(main_args + job["commands"][0], dnf.cli.option_parser.OptionParser())
cli._process_demands()
logging.getLogger("dnf").setLevel(logging.CRITICAL)

results = []
for args in job["commands"]:
    out = io.StringIO()
    error = None
    try:
        # The parser's usage text on a bad command goes to stdout too.
        with contextlib.redirect_stdout(out):
            command(cli, args).run()
    except (dnf.exceptions.Error, dnf.cli.CliError, SystemExit) as e:
        error = str(e) or type(e).__name__
    results.append({"stdout": out.getvalue(), "error": error})
base.close()
json.dump(results, sys.stdout)
