// Fixed-rate HTTP load for keywardd's latency target (p99 under 5 ms at 1,000 requests/s): wrk
// measures throughput with a closed loop, which hides latency under load; this sends requests on
// a fixed schedule (open loop) and measures each from the moment it was due, so a slow answer
// also counts against the requests queued behind it (no coordinated omission).
//
//   bench_server_rate --port P [--host 127.0.0.1] [--path /api/v1/validate] [--rate 1000]
//                     [--seconds 10] [--warmup 2] [--connections 64] [--header "Name: value"]...
//                     [--body JSON]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options
{
    std::string host = "127.0.0.1";
    int port = 0;
    std::string path = "/api/v1/validate";
    double rate = 1000;
    double seconds = 10;
    double warmup = 2;
    int connections = 64;
    std::vector<std::string> headers;
    std::string body;
};

struct Connection
{
    int fd = -1;
    bool busy = false;
    Clock::time_point due; // when the request in flight was scheduled
    bool measured = false;
    std::string in;
};

bool parse(int argc, char** argv, Options& o)
{
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool more = i + 1 < argc;
        if (a == "--host" && more)
            o.host = argv[++i];
        else if (a == "--port" && more)
            o.port = std::atoi(argv[++i]);
        else if (a == "--path" && more)
            o.path = argv[++i];
        else if (a == "--rate" && more)
            o.rate = std::atof(argv[++i]);
        else if (a == "--seconds" && more)
            o.seconds = std::atof(argv[++i]);
        else if (a == "--warmup" && more)
            o.warmup = std::atof(argv[++i]);
        else if (a == "--connections" && more)
            o.connections = std::atoi(argv[++i]);
        else if (a == "--header" && more)
            o.headers.push_back(argv[++i]);
        else if (a == "--body" && more)
            o.body = argv[++i];
        else
            return false;
    }
    return o.port > 0 && o.rate > 0 && o.seconds > 0 && o.connections > 0;
}

int openConnection(const Options& o)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(uint16_t(o.port));
    ::inet_pton(AF_INET, o.host.c_str(), &sa.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

// Removes one complete response from the front of `in`; returns its status, 0 if incomplete.
int takeResponse(std::string& in)
{
    const size_t end = in.find("\r\n\r\n");
    if (end == std::string::npos)
        return 0;
    std::string head = in.substr(0, end);
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    size_t length = 0;
    const size_t at = head.find("content-length:");
    if (at != std::string::npos)
        length = size_t(std::strtoul(head.c_str() + at + 15, nullptr, 10));
    if (in.size() < end + 4 + length)
        return 0;
    const int status = std::atoi(head.c_str() + 9);
    in.erase(0, end + 4 + length);
    return status;
}

double percentile(std::vector<double>& sorted, double p)
{
    if (sorted.empty())
        return 0;
    const size_t i = std::min(sorted.size() - 1, size_t(p / 100.0 * double(sorted.size())));
    return sorted[i];
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    if (!parse(argc, argv, o)) {
        std::fprintf(stderr,
                     "usage: bench_server_rate --port P [--host H] [--path P] [--rate R] [--seconds S] "
                     "[--warmup S] [--connections N] [--header 'Name: value']... [--body B]\n");
        return 2;
    }
    std::string request =
        (o.body.empty() ? "GET " : "POST ") + o.path + " HTTP/1.1\r\nHost: " + o.host + "\r\n";
    for (const std::string& h : o.headers)
        request += h + "\r\n";
    if (!o.body.empty())
        request +=
            "Content-Type: application/json\r\nContent-Length: " + std::to_string(o.body.size()) + "\r\n";
    request += "\r\n" + o.body;

    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    std::vector<Connection> connections(size_t(o.connections));
    for (size_t i = 0; i < connections.size(); ++i) {
        connections[i].fd = openConnection(o);
        if (connections[i].fd < 0) {
            std::fprintf(stderr, "cannot connect to %s:%d\n", o.host.c_str(), o.port);
            return 1;
        }
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, connections[i].fd, &ev);
    }

    const auto interval = std::chrono::duration<double>(1.0 / o.rate);
    const auto start = Clock::now();
    const auto measureFrom =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
    const auto stopSending =
        measureFrom + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
    std::deque<Clock::time_point> due; // scheduled, not sent yet (no idle connection)
    std::vector<double> latencies;
    latencies.reserve(size_t(o.rate * o.seconds) + 16);
    long long scheduled = 0, sent = 0, answered = 0, failures = 0, non2xx = 0, inFlight = 0;
    std::vector<size_t> idle;
    for (size_t i = 0; i < connections.size(); ++i)
        idle.push_back(i);

    auto sendOn = [&](size_t i, Clock::time_point when) {
        Connection& c = connections[i];
        const ssize_t n = ::send(c.fd, request.data(), request.size(), MSG_NOSIGNAL);
        if (n != ssize_t(request.size())) {
            ++failures;
            return false;
        }
        c.busy = true;
        c.due = when;
        c.measured = when >= measureFrom;
        ++sent;
        ++inFlight;
        return true;
    };

    epoll_event events[256];
    for (;;) {
        const auto now = Clock::now();
        // Everything that is due now is scheduled; it leaves as soon as a connection is free.
        while (now < stopSending) {
            const auto next =
                start + std::chrono::duration_cast<Clock::duration>(interval * double(scheduled));
            if (next > now)
                break;
            due.push_back(next);
            ++scheduled;
        }
        while (!due.empty() && !idle.empty()) {
            const size_t i = idle.back();
            idle.pop_back();
            if (!sendOn(i, due.front()))
                break;
            due.pop_front();
        }
        if (now >= stopSending && due.empty() && inFlight == 0)
            break;
        if (now >= stopSending + std::chrono::seconds(10))
            break; // answers that never came are counted as failures below
        const auto next = start + std::chrono::duration_cast<Clock::duration>(interval * double(scheduled));
        const int waitMs =
            now >= stopSending
                ? 50
                : int(std::max<long long>(
                      0, std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count()));
        const int n = ::epoll_wait(epoll, events, 256, waitMs);
        for (int e = 0; e < n; ++e) {
            Connection& c = connections[events[e].data.u64];
            char buffer[16384];
            for (;;) {
                const ssize_t r = ::recv(c.fd, buffer, sizeof buffer, 0);
                if (r > 0) {
                    c.in.append(buffer, size_t(r));
                    continue;
                }
                if (r == 0) { // the server closed: reconnect
                    ::epoll_ctl(epoll, EPOLL_CTL_DEL, c.fd, nullptr);
                    ::close(c.fd);
                    c.fd = openConnection(o);
                    if (c.busy) {
                        ++failures;
                        --inFlight;
                        c.busy = false;
                    }
                    c.in.clear();
                    if (c.fd >= 0) {
                        epoll_event ev{};
                        ev.events = EPOLLIN;
                        ev.data.u64 = events[e].data.u64;
                        ::epoll_ctl(epoll, EPOLL_CTL_ADD, c.fd, &ev);
                        idle.push_back(events[e].data.u64);
                    }
                }
                break;
            }
            while (c.busy) {
                const int status = takeResponse(c.in);
                if (status == 0)
                    break;
                const auto done = Clock::now();
                ++answered;
                --inFlight;
                if (status < 200 || status >= 300)
                    ++non2xx;
                if (c.measured)
                    latencies.push_back(std::chrono::duration<double, std::milli>(done - c.due).count());
                c.busy = false;
                idle.push_back(events[e].data.u64);
            }
        }
    }
    failures += inFlight;
    std::sort(latencies.begin(), latencies.end());
    const double measuredSeconds = o.seconds;
    std::printf(
        "rate %.0f/s for %.0f s (after %.0f s warm-up) over %d connections: %zu measured, %lld answered, "
        "%lld non-2xx, %lld failed\n",
        o.rate, measuredSeconds, o.warmup, o.connections, latencies.size(), answered, non2xx, failures);
    std::printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", percentile(latencies, 50),
                percentile(latencies, 90), percentile(latencies, 99), percentile(latencies, 99.9),
                latencies.empty() ? 0 : latencies.back());
    std::printf("p99_ms=%.3f\n", percentile(latencies, 99));
    return failures == 0 ? 0 : 1;
}
