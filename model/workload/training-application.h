/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef TRAINING_APPLICATION_H
#define TRAINING_APPLICATION_H

#include "training-job.h"

#include "ns3/application.h"
#include "ns3/nstime.h"

#include <deque>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One GPU of a training job: replays its program of the job's execution graph,
 * iteration after iteration.
 *
 * A node runs once every node it depends on has finished. Compute nodes run one at a time on
 * the GPU's compute stream, for the compute model's duration times the iteration's straggler
 * factor; collective nodes go to the TrainingJob, which starts them when every member of
 * their group has arrived; memory nodes go to the TrainingJob too, which moves them between the
 * GPU and its memory-pool port at once. An iteration ends when its last node finishes; the next one
 * starts then (stale-synchronous: once the job allows it), until the job's Iterations are done or
 * the application stops.
 */
class TrainingApplication : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TrainingApplication();
    ~TrainingApplication() override;

    /**
     * \param job the job
     * \param worker the worker this GPU is
     */
    void Setup(Ptr<TrainingJob> job, uint32_t worker);

    /** \return the worker */
    uint32_t GetWorker() const;
    /** \return iterations finished */
    uint32_t GetCompletedIterations() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /** \brief Start the next iteration, if any. */
    void StartIteration();
    /** \param node a node whose dependencies are done */
    void Ready(uint32_t node);
    /** \brief Run the next queued compute node if the stream is free. */
    void RunCompute();
    /** \param node the compute node that finished */
    void ComputeDone(uint32_t node);
    /**
     * \param node the collective node
     * \param start when the collective started
     * \param end when it ended
     */
    void CollectiveDone(uint32_t node, Time start, Time end);
    /**
     * \param node the memory node
     * \param start when its access started
     * \param end when it ended
     */
    void MemoryDone(uint32_t node, Time start, Time end);
    /** \param node a finished node */
    void Finish(uint32_t node);
    /** \brief The iteration's last node finished. */
    void EndIteration();

    Ptr<TrainingJob> m_job;                                          //!< the job
    uint32_t m_worker{0};                                            //!< this GPU's worker index
    const RankProgram* m_program{nullptr};                           //!< its program
    const std::vector<std::vector<uint32_t>>* m_dependents{nullptr}; //!< of its program
    bool m_running{false};                                           //!< between Start and Stop
    bool m_inIteration{false};                                       //!< an iteration is under way
    uint32_t m_iteration{0};                                         //!< the current iteration
    uint32_t m_completed{0};                                         //!< iterations finished
    double m_slowdown{1.0};                                          //!< this iteration's factor
    std::vector<uint32_t> m_waiting;                                 //!< per node: deps not done
    uint32_t m_left{0};                                              //!< nodes not finished
    std::deque<uint32_t> m_computeQueue;                             //!< ready compute nodes
    bool m_computeBusy{false};                                       //!< the compute stream runs
    Time m_iterationStart;                                           //!< when this iteration began
    std::vector<std::pair<Time, Time>> m_computeSpans;               //!< this iteration's compute
    std::vector<std::pair<Time, Time>> m_commSpans;   //!< this iteration's collectives
    std::vector<std::pair<Time, Time>> m_memorySpans; //!< this iteration's pool accesses
};

} // namespace ns3

#endif /* TRAINING_APPLICATION_H */
