// The cost of a webhook delivery on a new connection against one kept open
// (notify::Connections, issue 32): N signed POSTs of 600 bytes to a keep-alive receiver on
// 127.0.0.1 in this process (a thread per connection), each way, twice; prints each
// attempt's p50 and p99 and the process's processor time per POST (receiver included).
//
// usage: bench_webhook [N]   (default 2000)
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "notify/send.h"
#include "support/keepalive_receiver.h"

namespace {

using namespace racine;

using Receiver = racine_support::KeepAliveReceiver;

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2000;
  for (int round = 0; round < 2; ++round) {
    for (const bool kept : {false, true}) {
      Receiver receiver;
      notify::Connections keep;
      notify::Webhook w;
      w.url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
      w.body = std::string(600, 'x');
      w.idempotency_key.assign(1, 'k');
      w.secret.emplace(1, 's');
      std::vector<double> us;
      const std::clock_t c0 = std::clock();
      for (int i = 0; i < n; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto out = kept ? notify::post(w, &keep) : notify::post(w);
        us.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                .count());
        if (!out.ok) {
          std::fprintf(stderr, "bench_webhook: %s\n", out.error.c_str());
          return 1;
        }
      }
      const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
      std::sort(us.begin(), us.end());
      std::printf(
          "%s: %d POSTs, %d connections, p50 %.0f us, p99 %.0f us, processor %.0f us/POST\n",
          kept ? "kept open " : "new each  ", n, receiver.accepted(), us[us.size() / 2],
          us[us.size() * 99 / 100], cpu * 1e6 / n);
    }
  }
  return 0;
}
