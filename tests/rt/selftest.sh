#!/usr/bin/env bash
# The tests' Request Tracker (tests/rt/rt.sh) checked as racine's service desk delivery
# will use it, through REST 2 with racine's token: the queues "Client" and "Cloud
# Temple", a ticket created in "Cloud Temple" for a firing alert, a comment when it
# repeats, Status resolved when it resolves, the ticket and its history read back; what
# RT answers to no token and to a status it does not know; that the server stops with
# `rt.sh stop`, when the process that started it is gone and when its time is up; that
# nothing under /etc or /var was written. Work folder: a new one under /tmp, with a space
# in its name.
# Without Request Tracker it fails under CI=true and is skipped (exit 77) elsewhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../prerequisites.sh"
install="install request-tracker5 rt5-db-sqlite (scripts/deps.sh test)"
if [ ! -x /usr/sbin/rt-setup-database-5 ] || [ ! -f /usr/share/request-tracker5/libexec/rt-server ] ||
  ! perl -MDBD::SQLite -MStarlet -e 1 2>/dev/null; then
  missing "Request Tracker 5 is absent: $install"
fi
command -v python3 >/dev/null 2>&1 || missing "python3 is absent: install python3 (scripts/deps.sh test)"

work=$(mktemp -d "/tmp/racine rt.XXXXXX")
touch "$work/marker"
finish() {
  local rc=$?
  for d in "$work/rt" "$work/orphan" "$work/ttl"; do bash "$here/rt.sh" stop "$d" >/dev/null 2>&1 || true; done
  if [ "$rc" -eq 0 ]; then rm -rf "$work"; else echo "rt selftest: logs kept in $work" >&2; fi
}
trap finish EXIT

passed=0 failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
not_ok() { echo "FAILED: $1" >&2; failed=$((failed + 1)); }
gone_within() { # PID SECONDS
  for _ in $(seq $(($2 * 10))); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

t0=$(date +%s%N)
RACINE_RT_WATCH_PID=$$ bash "$here/rt.sh" "$work/rt"
ms=$((($(date +%s%N) - t0) / 1000000))
echo "rt.sh started Request Tracker in $((ms / 1000)).$((ms % 1000 / 100)) s"
[ -f "$work/rt/env" ] || { echo "rt.sh wrote no env" >&2; exit 1; }

# Started now, so that its time runs out while the rest goes on.
ttl_started=$(date +%s)
RACINE_RT_WATCH_PID=0 RACINE_RT_TTL=20 bash "$here/rt.sh" "$work/ttl" "Solo" >/dev/null
ttl_pid=$(sed -n 's/^RT_PID=//p' "$work/ttl/env")
# When it stops is written down as it happens, however long the checks below take on a
# busy machine: it must live its 20 s, and be gone within 40 s of them.
( while kill -0 "$ttl_pid" 2>/dev/null; do sleep 0.5; done; date +%s > "$work/ttl-gone" ) &

python3 - "$work/rt/env" "$work/rest2-counts" <<'PY' || true
import json, re, sys, urllib.error, urllib.parse, urllib.request

env = dict(line.split('=', 1) for line in open(sys.argv[1]).read().splitlines() if line)
url, token = env['RT_URL'], env['RT_TOKEN']
passed = failed = 0

def check(name, cond, detail=''):
    global passed, failed
    if cond:
        passed += 1
        print(f'ok: {name}')
    else:
        failed += 1
        print(f'FAILED: {name} {detail}', file=sys.stderr)

# One request, no redirects followed, no cookies, no Referer: as racine's client sends.
def http(method, path, body=None, ctype=None, auth=True):
    headers = {'Accept': 'application/json'}
    if auth:
        headers['Authorization'] = f'token {token}'
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers['Content-Type'] = ctype or 'application/json'
    req = urllib.request.Request(url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            status, hdrs, text = res.status, res.headers, res.read().decode()
    except urllib.error.HTTPError as e:
        status, hdrs, text = e.code, e.headers, e.read().decode()
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    return status, hdrs, doc

q = urllib.parse.quote
check('env: RT_URL on 127.0.0.1', re.fullmatch(r'http://127\.0\.0\.1:\d+', url), url)
check('env: RT_TOKEN is RT\'s "1-USERID-SECRET"', re.fullmatch(r'1-\d+-[0-9a-f]+', token), token)
check('env: RT_PID', re.fullmatch(r'\d+', env.get('RT_PID', '')))

s, _, doc = http('GET', '/REST/2.0/rt')
check('GET /REST/2.0/rt: RT 5.0', s == 200 and doc['Version'].startswith('5.0.'), f'{s} {doc}')
queues = {}
for name in ('Client', 'Cloud Temple'):
    s, _, doc = http('GET', f'/REST/2.0/queue/{q(name)}')
    check(f'queue "{name}" by name', s == 200 and doc['Name'] == name, f'{s} {doc}')
    queues[name] = doc['id']
s, _, doc = http('GET', '/REST/2.0/queue/General', auth=False)
check('no token: 401 {"message": "Unauthorized"}', s == 401 and doc == {'message': 'Unauthorized'}, f'{s} {doc}')

# The alert fires: a ticket.
subject = 'KubeNodeNotReady: node worker-1 is not ready'
s, h, doc = http('POST', '/REST/2.0/ticket',
                 {'Queue': 'Cloud Temple', 'Subject': subject, 'Content': 'Firing since 10:02 UTC.'})
check('create: 201', s == 201, f'{s} {doc}')
tid = doc.get('id') if isinstance(doc, dict) else None
check('create: {"id": "N" (a string), "type": "ticket", "_url"}',
      set(doc) == {'id', 'type', '_url'} and doc['type'] == 'ticket' and re.fullmatch(r'\d+', tid or '')
      and doc['_url'] == f'{url}/REST/2.0/ticket/{tid}', doc)
check('create: Location /REST/2.0/ticket/N', h.get('Location') == f'/REST/2.0/ticket/{tid}', h.get('Location'))

# It repeats: comments, as JSON (UTF-8 kept) and as text/plain (ASCII).
comment = 'Alerte répétée : worker-1 toujours NotReady ✓\nseconde ligne'
s, h, doc = http('POST', f'/REST/2.0/ticket/{tid}/comment', {'Content': comment, 'ContentType': 'text/plain'})
check('comment (application/json): 201 ["Comments added"]', s == 201 and doc == ['Comments added'], f'{s} {doc}')
check('comment: Location /REST/2.0/transaction/N',
      re.fullmatch(r'/REST/2\.0/transaction/\d+', h.get('Location') or ''), h.get('Location'))
s, _, doc = http('POST', f'/REST/2.0/ticket/{tid}/comment', {'Content': comment})
check('comment (application/json) without ContentType: 400',
      s == 400 and doc == {'message': 'ContentType is a required field for application/json'}, f'{s} {doc}')
plain = 'Repeated at 10:07 UTC.'
s, _, doc = http('POST', f'/REST/2.0/ticket/{tid}/comment', plain.encode(), 'text/plain')
check('comment (text/plain): 201 ["Comments added"]', s == 201 and doc == ['Comments added'], f'{s} {doc}')

# A status RT does not know: 200 all the same, the refusal only in the body.
s, _, doc = http('PUT', f'/REST/2.0/ticket/{tid}', {'Status': 'bogus'})
check('PUT Status bogus: 200 with the refusal as its message',
      s == 200 and doc == [f"Ticket {tid}: Status 'bogus' isn't a valid status for this ticket."], f'{s} {doc}')

# It resolves.
s, _, doc = http('PUT', f'/REST/2.0/ticket/{tid}', {'Status': 'resolved'})
check('PUT Status resolved: 200 ["Ticket N: Status changed from \'new\' to \'resolved\'"]',
      s == 200 and doc == [f"Ticket {tid}: Status changed from 'new' to 'resolved'"], f'{s} {doc}')

s, _, doc = http('GET', f'/REST/2.0/ticket/{tid}')
check('ticket read back: resolved, in "Cloud Temple", its subject',
      s == 200 and doc['Status'] == 'resolved' and doc['Queue']['id'] == str(queues['Cloud Temple'])
      and doc['Subject'] == subject, f'{s} {doc}')

s, _, doc = http('GET', f'/REST/2.0/ticket/{tid}/history?fields=Type,Field,OldValue,NewValue')
steps = [(i['Type'], i['Field'], i['OldValue'], i['NewValue']) for i in doc['items']]
check('history: Create, Comment, Comment, Status new -> resolved',
      s == 200 and steps == [('Create', '', '', ''), ('Comment', '', '', ''), ('Comment', '', '', ''),
                             ('Status', 'Status', 'new', 'resolved')], steps)
comment_txns = [i['id'] for i in doc['items'] if i['Type'] == 'Comment']

s, _, doc = http('GET', f'/REST/2.0/ticket/{tid}/attachments?fields=TransactionId,ContentType,Content')
texts = {i['TransactionId']: (i['ContentType'], i['Content']) for i in doc['items']}
check('history: the JSON comment\'s exact text (UTF-8)',
      texts.get(comment_txns[0]) == ('text/plain', comment), texts.get(comment_txns[0]))
check('history: the text/plain comment\'s exact text',
      texts.get(comment_txns[1]) == ('text/plain', plain), texts.get(comment_txns[1]))

open(sys.argv[2], 'w').write(f'{passed} {failed}\n')
PY
read -r p f <"$work/rest2-counts" 2>/dev/null || { p=0 f=1; }
passed=$((passed + p)) failed=$((failed + f))

# The server stops with `rt.sh stop`.
pid=$(sed -n 's/^RT_PID=//p' "$work/rt/env")
bash "$here/rt.sh" stop "$work/rt"
if ! kill -0 "$pid" 2>/dev/null && [ ! -e "$work/rt/env" ]; then ok "rt.sh stop"; else not_ok "rt.sh stop"; fi

# It stops by itself when the process that started it is gone (`; true` keeps that
# bash from exec'ing rt.sh), and when its time is up.
bash -c 'bash "$1" "$2" "Solo"; true' orphan "$here/rt.sh" "$work/orphan" >/dev/null
orphan_pid=$(sed -n 's/^RT_PID=//p' "$work/orphan/env")
if gone_within "$orphan_pid" 15; then ok "stops when its parent is gone"; else not_ok "stops when its parent is gone"; fi
for _ in $(seq 1 120); do [ -s "$work/ttl-gone" ] && break; sleep 0.5; done
lived=$(( $(cat "$work/ttl-gone" 2>/dev/null || echo 0) - ttl_started ))
if [ -s "$work/ttl-gone" ] && [ "$lived" -ge 20 ] && [ "$lived" -le 60 ]; then
  ok "stops when RACINE_RT_TTL is up (after ${lived} s)"
else
  not_ok "stops when RACINE_RT_TTL is up (lived ${lived} s, expected 20 to 60)"
fi

changed=$(find /etc/request-tracker5 /var/lib/request-tracker5 /var/cache/request-tracker5 \
  /var/log/request-tracker5 -newer "$work/marker" 2>/dev/null || true)
if [ -z "$changed" ]; then ok "nothing written under /etc or /var"; else not_ok "written under /etc or /var: $changed"; fi

echo "rt_selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
