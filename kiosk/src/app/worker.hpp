#pragma once
// A thread that runs jobs one after another, so slow work (HTTP, fsync, printing) never runs on the UI
// thread. Jobs carry copies of their inputs and post their results to the Inbox. An exception escaping
// a job is logged, never lost silently and never fatal to the thread.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace kiosk {

class Worker {
  public:
    explicit Worker(std::string name);
    ~Worker();  ///< finishes the running job, drops the rest, joins
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void post(std::function<void()> job);

  private:
    void run();

    std::string m_name;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace kiosk
